/**
 * A number that plays a short calm animation (styles.css, `.bump`) when it
 * changes: the inner key changes with the text, so Preact mounts a fresh
 * span and the CSS animation starts again.
 */
export function AnimatedNumber({ text }: { text: string }) {
  // Long figures (100,000 and up) step down a size so they fit a card at
  // six cards across or two on a phone.
  const size = text.length > 9 ? " number-longer" : text.length > 6 ? " number-long" : "";
  return (
    <span class={`number${size}`}>
      <span key={text} class="bump">
        {text}
      </span>
    </span>
  );
}
