import { useEffect, useRef, useState } from "preact/hooks";
import type { TimelinePoint } from "../../domain/snapshot.ts";
import { formatClock, formatCount } from "../lib/format.ts";
import { useColorScheme } from "../lib/use-color-scheme.ts";
import { useWidth } from "../lib/use-width.ts";

type PlotModule = typeof import("../lib/timeline-plot.ts");

interface TimelineChartProps {
  timeline: TimelinePoint[];
  updatedAt: number;
  startedAt: number | null;
}

/** The newest point in words, for those who cannot see the chart. */
function describe(timeline: TimelinePoint[]): string {
  const last = timeline.at(-1);
  if (!last) return "No messages sent yet.";
  return (
    `From ${formatClock(timeline[0]!.at)} to ${formatClock(last.at)}: ` +
    `${formatCount(last.sent)} sent, ${formatCount(last.delivered)} ` +
    `delivered, ${formatCount(last.read)} read.`
  );
}

function usePlotModule(): PlotModule | null {
  const [module, setModule] = useState<PlotModule | null>(null);
  useEffect(() => {
    import("../lib/timeline-plot.ts").then(setModule, (err) => {
      // The chart is extra: the counts above already say it all.
      console.warn("the timeline chart could not load", err);
    });
  }, []);
  return module;
}

/** Cumulative sent, delivered and read over time, drawn by uPlot. */
export function TimelineChart(props: TimelineChartProps) {
  const { timeline, updatedAt, startedAt } = props;
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<ReturnType<PlotModule["createTimelinePlot"]> | null>(null);
  const module = usePlotModule();
  const width = useWidth(box);
  const scheme = useColorScheme();
  const empty = timeline.length === 0;

  // Made anew when the theme changes: uPlot reads colours once.
  useEffect(() => {
    if (!module || !box.current || width === 0 || empty) return;
    const data = module.plotData(timeline, updatedAt, startedAt);
    plot.current = module.createTimelinePlot(box.current, width, data);
    return () => plot.current?.destroy();
  }, [module, scheme, empty, width > 0]);

  useEffect(() => {
    if (module && !empty) {
      plot.current?.setData(module.plotData(timeline, updatedAt, startedAt));
    }
  }, [timeline, updatedAt]);

  useEffect(() => {
    if (width > 0) plot.current?.setSize({ width, height: 220 });
  }, [width]);

  return (
    <figure class="panel timeline" aria-label="Timeline">
      <figcaption>
        <h2>Over time</h2>
        <p class="muted">{describe(timeline)}</p>
      </figcaption>
      <div ref={box} class="timeline-plot" aria-hidden="true" />
    </figure>
  );
}
