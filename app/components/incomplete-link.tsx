import { Notice } from "./notice.tsx";

const EXPLANATIONS = {
  campaign: "The link names no campaign.",
  token: "The link is missing its access token (the part after ?t=).",
};

interface IncompleteLinkProps {
  missing: keyof typeof EXPLANATIONS;
}

/** A campaign link that lost part of itself, often in copy and paste. */
export function IncompleteLink({ missing }: IncompleteLinkProps) {
  return (
    <main class="page">
      <p class="brand">Ticks</p>
      <Notice title="This link is incomplete" tone="error">
        <p>{EXPLANATIONS[missing]}</p>
        <p>Copy the whole link again, or ask the sender for a new one.</p>
      </Notice>
    </main>
  );
}
