import type { ComponentChildren } from "preact";

interface NoticeProps {
  title: string;
  tone?: "info" | "error";
  children: ComponentChildren;
}

/** A boxed message that takes the place of data the page cannot show. */
export function Notice({ title, tone = "info", children }: NoticeProps) {
  const role = tone === "error" ? "alert" : undefined;
  return (
    <section class={`notice notice-${tone}`} role={role}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}
