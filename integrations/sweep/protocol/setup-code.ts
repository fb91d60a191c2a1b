/**
 * Robot setup codes: the only secret a user handles while pairing (PAIRING-NOTES §1). A code is exactly
 * `SETUP_CODE_DIGITS` decimal digits and is the SPAKE2+ password (see pairing.ts).
 */
import { randomInt } from "node:crypto";
import { SETUP_CODE_DIGITS } from "./constants.ts";

const CODE_PATTERN = new RegExp(`^[0-9]{${SETUP_CODE_DIGITS}}$`);

/**
 * Whether a well-formed code is too easy to guess. Covers the passcodes Matter disallows (Matter Core spec, "Invalid
 * Passcodes": 00000000, 11111111 ... 99999999, 12345678, 87654321) and every other run of consecutive digits up or down
 * (01234567, 23456789, 98765432, 76543210).
 */
export function isTrivialSetupCode(code: string): boolean {
  if (!CODE_PATTERN.test(code)) return true;
  const digits = [...code].map(Number);
  const steps = new Set(digits.slice(1).map((d, i) => d - digits[i]));
  return steps.size === 1 && (steps.has(0) || steps.has(1) || steps.has(-1));
}

/** A fresh random code from a CSPRNG, never a trivial one. */
export function generateSetupCode(): string {
  for (;;) {
    let code = "";
    for (let i = 0; i < SETUP_CODE_DIGITS; i++) code += randomInt(10).toString();
    if (!isTrivialSetupCode(code)) return code;
  }
}

/** What the user typed ("1234-5678", "1234 5678", "12345678") -> the bare digits, or null if it is not a code. */
export function normalizeSetupCode(input: string): string | null {
  const stripped = input.trim().replace(/[\s-]/g, "");
  return CODE_PATTERN.test(stripped) ? stripped : null;
}

/** "12345678" -> "1234-5678", the form printed on the robot and shown in the UI. */
export function formatSetupCode(code: string): string {
  const normalized = normalizeSetupCode(code);
  if (normalized === null) throw new RangeError(`A setup code has exactly ${SETUP_CODE_DIGITS} digits`);
  const half = SETUP_CODE_DIGITS / 2;
  return `${normalized.slice(0, half)}-${normalized.slice(half)}`;
}
