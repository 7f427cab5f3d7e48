import { z } from "zod";
import { lineOfText } from "./safe-text.ts";

export const MAX_VARIABLES = 20;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,39}$/;

/** Any other column of a row is a variable the message may use. */
const variableValue = z.union(
  [lineOfText(500), z.number().transform(String), z.boolean().transform(String)],
  { error: "a variable is text (at most 500 characters), a number or true/false" },
);

const phoneSchema = z.union(
  [z.string().max(64, "at most 64 characters"), z.number().int().nonnegative()],
  { error: "a phone number is required, as text like +15550001111" },
);

export const recipientSchema = z
  .object({
    phone: phoneSchema,
    name: lineOfText(100).optional(),
  })
  .catchall(variableValue)
  .refine((row) => Object.keys(row).length <= MAX_VARIABLES + 2, {
    message: `at most ${MAX_VARIABLES} variables per recipient`,
  })
  .refine((row) => Object.keys(row).every((key) => VARIABLE_NAME.test(key)), {
    message: "variable names are letters, digits and _, not starting with a digit",
  });

export type RecipientInput = z.infer<typeof recipientSchema>;
