/**
 * One measured number. Each figure is printed as a JSON line and as a row
 * of the closing table; `baseline` names the figure it is compared with,
 * which was measured in the same run.
 */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  params: Record<string, unknown>;
  /** what the issue asks of this figure, e.g. "≥ 5000" */
  target?: string;
  met?: boolean;
  baseline?: string;
}

export class Report {
  readonly figures: Figure[] = [];
  readonly failures: Array<{ bench: string; error: string }> = [];
  /** After Ctrl-C a bench still unwinding must not print figures. */
  closed = false;

  add(figure: Figure): void {
    if (this.closed) return;
    this.figures.push(figure);
    process.stdout.write(`${JSON.stringify(figure)}\n`);
  }

  fail(bench: string, error: unknown): void {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.failures.push({ bench, error: text });
    process.stderr.write(`[bench] ${bench} failed: ${text}\n`);
  }

  table(): string {
    const rows = this.figures.map((f) => [
      f.name,
      // A judged ratio keeps its digits: 0.499 must not read as 0.50.
      f.unit === "ratio" && f.target ? String(f.value) : formatValue(f.value),
      f.unit,
      f.target ?? "",
      f.met === undefined ? "" : f.met ? "met" : "MISSED",
    ]);
    const head = ["figure", "value", "unit", "target", ""];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) =>
      cells
        .map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
        .join("  ")
        .trimEnd();
    const failed = this.failures.map((f) => `FAILED ${f.bench}: ${f.error.split("\n")[0]}`);
    return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line), ...failed].join(
      "\n",
    );
  }
}

function formatValue(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
