/** A demo list: made-up names and numbers in the 555 range, never real. */
const FIRST_NAMES = [
  "Ana",
  "Bo",
  "Chen",
  "Dara",
  "Emeka",
  "Farah",
  "Gus",
  "Hana",
  "Ivo",
  "Jia",
  "Kofi",
  "Lena",
  "Mateo",
  "Nia",
  "Omar",
  "Priya",
  "Quinn",
  "Rosa",
  "Sami",
  "Tomas",
];

export function demoRecipients(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    phone: `+1 555 ${String(i).padStart(7, "0")}`,
    name: FIRST_NAMES[i % FIRST_NAMES.length]!,
  }));
}

export const DEMO_MESSAGE =
  "Hi {{name}}, our winter sale starts today: 20% off everything until Sunday.";
