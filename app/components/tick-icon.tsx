export type TickKind = "pending" | "sent" | "delivered" | "read" | "failed";

// Drawn rather than typed: ✓ and ✗ glyphs differ a lot between system
// fonts, and WhatsApp's double tick needs the two marks to overlap.
const PATHS: Record<TickKind, string> = {
  pending: "M10 2.5a5.5 5.5 0 1 0 0 11a5.5 5.5 0 1 0 0-11M10 5v3.2l2.2 1.4",
  sent: "M5.5 8.6l3 3L15 5",
  delivered: "M1.5 8.6l3 3L11 5M8.6 10.7l.9.9L16 5",
  read: "M1.5 8.6l3 3L11 5M8.6 10.7l.9.9L16 5",
  failed: "M6 4.5l7 7M13 4.5l-7 7",
};

/** The WhatsApp-style mark of a stage; decorative, the label says it all. */
export function TickIcon({ kind }: { kind: TickKind }) {
  return (
    <svg
      class={`tick tick-${kind}`}
      viewBox="0 0 18 16"
      width="22"
      height="20"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[kind]} />
    </svg>
  );
}
