/**
 * Phones as link viewers see them: `+1 555 ••• 1111`. The country code
 * and the first group stay, so a viewer can tell countries and regions apart;
 * the last four stay, so a viewer can tell people apart; the rest is hidden.
 */
export const MASK = "•••";

// Country calling codes are prefix-free (ITU-T E.164): 1 and 7 stand
// alone, these two-digit codes are taken, and every other code has three
// digits. https://en.wikipedia.org/wiki/List_of_country_calling_codes
const ONE_DIGIT = new Set(["1", "7"]);
const TWO_DIGIT = new Set(
  (
    "20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 " +
    "56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98"
  ).split(" "),
);

const FIRST_GROUP = 3;
const LAST_GROUP = 4;
/** Never show a number whole: at least this many digits are hidden. */
const MIN_HIDDEN = 3;

export function countryCodeLength(digits: string): number {
  if (ONE_DIGIT.has(digits.slice(0, 1))) return 1;
  if (TWO_DIGIT.has(digits.slice(0, 2))) return 2;
  return 3;
}

/**
 * Masks a phone stored as digits (7-15 of them, country code first). Short
 * numbers give up digits of the first group, then of the last one, before
 * fewer than MIN_HIDDEN digits would stay hidden.
 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, "");
  const code = digits.slice(0, countryCodeLength(digits));
  const national = digits.slice(code.length);
  const shown = Math.max(0, national.length - MIN_HIDDEN);
  const last = Math.min(LAST_GROUP, shown);
  const first = Math.min(FIRST_GROUP, shown - last);
  const head = national.slice(0, first);
  const tail = last === 0 ? "" : national.slice(-last);
  return [`+${code}`, head, MASK, tail].filter(Boolean).join(" ");
}

/**
 * Masks every phone-like run of digits in free text, such as a send error
 * that quotes the chat id (`15550001111@c.us`).
 */
export function maskPhonesIn(text: string): string {
  return text.replace(/\d{7,15}/g, (digits) => maskPhone(digits));
}
