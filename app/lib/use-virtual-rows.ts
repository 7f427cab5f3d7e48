import type { RefObject } from "preact";
import { useEffect, useState } from "preact/hooks";

export interface RowRange {
  first: number;
  /** inclusive; -1 when there are no rows */
  last: number;
}

// Rows drawn beyond each edge, so a fling shows rows rather than blanks.
const OVERSCAN = 10;

/**
 * Which rows of a fixed-height list in a scrolling element are in view.
 * Scroll events are folded into one update per animation frame.
 */
export function useVirtualRows(
  scroller: RefObject<HTMLElement | null>,
  rowHeight: number,
  count: number,
): RowRange {
  const [view, setView] = useState({ top: 0, height: 0 });
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    let frame = 0;
    const measure = () => {
      frame = 0;
      setView({ top: element.scrollTop, height: element.clientHeight });
    };
    const onScroll = () => {
      if (frame === 0) frame = requestAnimationFrame(measure);
    };
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    element.addEventListener("scroll", onScroll, { passive: true });
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      element.removeEventListener("scroll", onScroll);
    };
  }, [scroller]);
  const first = Math.max(0, Math.floor(view.top / rowHeight) - OVERSCAN);
  const shown = Math.ceil(view.height / rowHeight) + 2 * OVERSCAN;
  return { first, last: Math.min(count, first + shown) - 1 };
}
