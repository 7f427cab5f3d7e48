/**
 * A number that plays a short calm animation (styles.css, `.bump`) when it
 * changes: the inner key changes with the text, so Preact mounts a fresh
 * span and the CSS animation starts again.
 */
export function AnimatedNumber({ text }: { text: string }) {
  return (
    <span class="number">
      <span key={text} class="bump">
        {text}
      </span>
    </span>
  );
}
