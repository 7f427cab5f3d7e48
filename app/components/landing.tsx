import { Notice } from "./notice.tsx";

export function Landing() {
  return (
    <main class="page">
      <p class="brand">Ticks</p>
      <Notice title="Live delivery tracking for WhatsApp campaigns">
        <p>
          To follow a campaign, open the link you were given. It looks like{" "}
          <code>/c/&lt;campaign&gt;?t=&lt;token&gt;</code>.
        </p>
      </Notice>
    </main>
  );
}
