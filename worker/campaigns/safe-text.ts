import { z } from "zod";

/** Half of a UTF-16 pair on its own: not text, and D1 stores it as bad UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Control characters; a message may still hold line breaks and tabs. */
const CONTROL = /[\u0000-\u001F\u007F]/;
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/** Bidi overrides and isolates, which can make a name read as another. */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;

/**
 * Names shown on the page: one line of real text, no control or direction
 * override characters.
 */
export function lineOfText(max: number) {
  return z
    .string()
    .trim()
    .max(max, `at most ${max} characters`)
    .refine((s) => !LONE_SURROGATE.test(s), "holds a broken character (a lone UTF-16 surrogate)")
    .refine((s) => !CONTROL.test(s), "holds a control character; use plain text on one line")
    .refine((s) => !BIDI_CONTROL.test(s), "holds a text-direction override character");
}

/** A message: any real text over several lines. */
export function messageText(max: number) {
  return z
    .string()
    .max(max, `at most ${max} characters`)
    .refine((s) => !LONE_SURROGATE.test(s), "holds a broken character (a lone UTF-16 surrogate)")
    .refine((s) => !CONTROL_BUT_LINES.test(s), "holds a control character other than line breaks");
}
