import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { TimelinePoint } from "../../domain/snapshot.ts";
import { formatClock, formatCount } from "./format.ts";

// Loaded on demand (components/timeline-chart.tsx): uPlot is about half
// of the page's JavaScript, and the counts must not wait for it.

const MINUTE_MS = 60_000;
const HEIGHT = 220;

/**
 * Each point counts to the end of its minute; the newest ends now. The
 * line starts from zero at the campaign's start, so a campaign younger
 * than a minute still draws a rise rather than a lone dot.
 */
export function plotData(
  timeline: TimelinePoint[],
  updatedAt: number,
  startedAt: number | null,
): uPlot.AlignedData {
  const ends = timeline.map((p) => Math.min(p.at + MINUTE_MS, updatedAt));
  const points = timeline.map((p, i) => ({ ...p, end: ends[i]! }));
  if (startedAt !== null && startedAt < (ends[0] ?? 0)) {
    const start = { at: startedAt, end: startedAt };
    points.unshift({ ...start, sent: 0, delivered: 0, read: 0 });
  }
  return [
    points.map((p) => p.end / 1000),
    points.map((p) => p.sent),
    points.map((p) => p.delivered),
    points.map((p) => p.read),
  ];
}

function cssColor(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function line(label: string, color: string): uPlot.Series {
  return {
    label,
    stroke: cssColor(color),
    width: 2,
    value: (_, value) => (value === null ? "–" : formatCount(value)),
  };
}

// The timeline has one point a minute: ticks at whole minutes or more, so
// no two labels read the same time.
const MINUTE_TICKS = [1, 5, 10, 15, 30, 60, 120, 360, 720, 1440].map((minutes) => minutes * 60);

function axis(values: uPlot.Axis["values"], incrs?: number[]): uPlot.Axis {
  return {
    incrs,
    stroke: cssColor("--muted"),
    grid: { stroke: cssColor("--line"), width: 1 },
    ticks: { stroke: cssColor("--line"), width: 1 },
    values,
  };
}

/** A chart of cumulative sent, delivered and read in `target`. */
export function createTimelinePlot(
  target: HTMLElement,
  width: number,
  data: uPlot.AlignedData,
): uPlot {
  const options: uPlot.Options = {
    width,
    height: HEIGHT,
    // The viewer's clock and digits, not uPlot's English defaults.
    series: [
      {},
      line("Sent", "--tick"),
      line("Delivered", "--accent"),
      line("Read", "--tick-read"),
    ],
    axes: [
      axis((_, splits) => splits.map((secs) => formatClock(secs * 1000)), MINUTE_TICKS),
      axis((_, splits) => splits.map((n) => formatCount(n))),
    ],
    scales: {
      // A single moment still gets a few minutes of axis around it.
      x: {
        time: true,
        range: (_, min, max) => (max - min < 120 ? [min - 60, max + 60] : [min, max]),
      },
      y: { range: (_, min, max) => [0, Math.max(1, max, min)] },
    },
    // The caption says the latest numbers; the legend only names the lines.
    legend: { live: false },
    cursor: { drag: { x: false, y: false } },
  };
  return new uPlot(options, data, target);
}

export type TimelinePlot = uPlot;
