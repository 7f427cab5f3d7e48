import { describe, expect, it } from "vitest";
import { maskPhone, maskPhonesIn } from "../../domain/phone-mask.ts";

describe("masking phones for link viewers", () => {
  it.each([
    ["15550001111", "+1 555 ••• 1111"],
    ["447700900123", "+44 770 ••• 0123"],
    ["351912345678", "+351 91 ••• 5678"],
    ["79161234567", "+7 916 ••• 4567"],
  ])("should show %s as %s", (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });

  it("should hide at least three digits of any length of phone", () => {
    for (let length = 7; length <= 15; length++) {
      const phone = "4".repeat(length);
      const visible = maskPhone(phone).replace(/\D/g, "");
      expect(visible.length).toBeLessThanOrEqual(length - 3);
      expect(maskPhone(phone)).toContain("•••");
    }
  });

  it("should mask phones quoted inside an error text", () => {
    expect(maskPhonesIn("chat 15550001111@c.us not found (code 404)")).toBe(
      "chat +1 555 ••• 1111@c.us not found (code 404)",
    );
  });
});
