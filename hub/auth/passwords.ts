/**
 * Password policy and hashing. argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): slow
 * enough to make offline guessing expensive, fast enough (~30 ms) that sign-in stays snappy on a Raspberry Pi.
 * The policy follows NIST SP 800-63B §5.1.1.2: length over composition rules, no known-bad passwords.
 */
import { type Algorithm, hash, verify } from "@node-rs/argon2";

const ARGON2ID = 2 as Algorithm;
const HASH_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

/** The most common passwords of at least the minimum length (a short list: the length rule does the rest). */
const COMMON = new Set([
  "1234567890",
  "12345678910",
  "0123456789",
  "1q2w3e4r5t",
  "qwertyuiop",
  "password12",
  "password123",
  "password1234",
  "iloveyou12",
  "1qaz2wsx3edc",
  "qwerty1234",
  "qwerty12345",
  "abcdefghij",
  "letmein123",
  "welcome123",
  "admin12345",
  "administrator",
  "sweephub123",
  "changeme123",
]);

/** What is wrong with a password, in words for the user; empty when it is acceptable. */
export function passwordProblems(password: string, context: { username?: string } = {}): string[] {
  const problems: string[] = [];
  const chars = [...password];
  if (chars.length < PASSWORD_MIN_LENGTH)
    problems.push(`Use at least ${PASSWORD_MIN_LENGTH} characters (a few words make a good password)`);
  if (chars.length > PASSWORD_MAX_LENGTH) problems.push(`Use at most ${PASSWORD_MAX_LENGTH} characters`);
  const lower = password.toLowerCase();
  if (new Set(chars).size <= 2) problems.push("Use more than one or two different characters");
  if (COMMON.has(lower) || COMMON.has(lower.replace(/[!.?]+$/, "")))
    problems.push("This password is one of the most common ones; choose another");
  if (context.username && lower.includes(context.username.toLowerCase()) && context.username.length >= 3)
    problems.push("The password must not contain the user name");
  return problems;
}

export const hashPassword = (password: string): Promise<string> => hash(password, HASH_OPTIONS);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;
/**
 * Verifies against a throwaway hash, so that "no such user" takes as long as "wrong password" and response
 * times do not reveal which user names exist.
 */
export async function verifyDummy(password: string): Promise<false> {
  dummy ??= hashPassword("not-a-real-password-placeholder");
  await verifyPassword(await dummy, password);
  return false;
}
