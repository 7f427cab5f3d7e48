import { useEffect, useRef } from "preact/hooks";
import type { RecipientPages } from "../lib/recipient-pages.ts";
import { useNow } from "../lib/use-now.ts";
import { useVirtualRows } from "../lib/use-virtual-rows.ts";
import { RecipientRow } from "./recipient-row.tsx";

// Fixed, so row n sits at n × ROW_HEIGHT and only the rows in view exist
// in the DOM; styles.css gives .row the same height.
export const ROW_HEIGHT = 56;

interface RecipientTableProps {
  pages: RecipientPages;
  count: number;
  /** grows with the campaign: pages fetched for an older one are refetched */
  version: number;
  redraw: number;
}

export function RecipientTable(props: RecipientTableProps) {
  const { pages, count, version, redraw } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const { first, last } = useVirtualRows(scroller, ROW_HEIGHT, count);
  const now = useNow(60_000);

  // Page 0 is asked for even with no rows yet: a search's count is
  // unknown until its first page arrives.
  useEffect(() => {
    pages.want(first, Math.max(first, last), version);
  }, [pages, first, last, version, redraw]);

  // A new filter shows its list from the top.
  useEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
  }, [pages]);

  const rows = [];
  for (let i = first; i <= last; i++) {
    rows.push(
      <RecipientRow key={i} position={i} row={pages.row(i)} top={i * ROW_HEIGHT} now={now} />,
    );
  }
  return (
    // Focusable so the keyboard can scroll it (arrows, Page Down, Home, End).
    <div
      ref={scroller}
      class="table-scroll"
      tabIndex={0}
      role="table"
      aria-label="Recipients"
      aria-rowcount={count + 1}
    >
      <div role="rowgroup" class="table-head">
        <div role="row" class="row row-head" aria-rowindex={1}>
          <span role="columnheader">Name</span>
          <span role="columnheader">Phone</span>
          <span role="columnheader">Status</span>
          <span role="columnheader">Since</span>
        </div>
      </div>
      <div role="rowgroup" class="table-body" style={{ height: `${count * ROW_HEIGHT}px` }}>
        {rows}
      </div>
    </div>
  );
}
