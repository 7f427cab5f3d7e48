const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
export const CAMPAIGN_ID = /^c_[a-z0-9]{16}$/;

/** 16 random characters: about 82 bits, not guessable from one another. */
export function newCampaignId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return "c_" + [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join("");
}
