import {
  isSupportedCountry,
  parsePhoneNumberFromString,
  type CountryCode,
} from "libphonenumber-js/min";

/**
 * Phone numbers become E.164 digits (stored without the `+`, the form
 * whatsapp-web.js chat ids use). A number written with `+` or `00` is
 * international; any other is read in the campaign's country when it has
 * one, and as international digits when it does not (`15550001111`).
 * "Possible" (right length for its country) rather than "valid" is the
 * bar: the library's valid ranges lag behind real numbering plans.
 */
export function normalizePhone(raw: string | number, country?: string | null): string | null {
  const text = String(raw).trim();
  if (!/^[+\d\s\-.()]{1,40}$/.test(text)) return null;
  const international = text.startsWith("+") || text.startsWith("00");
  const written = text.startsWith("00") ? `+${text.slice(2)}` : text;
  const region = country && isSupportedCountry(country) ? country : undefined;
  const input = international || region ? written : `+${written}`;
  const parsed = parsePhoneNumberFromString(input, region as CountryCode | undefined);
  if (!parsed?.isPossible()) return null;
  return parsed.number.slice(1);
}

export function isCountry(code: string): boolean {
  return isSupportedCountry(code);
}
