/**
 * Random secrets and how they are kept: session cookies, API tokens and invitation codes are shown to their
 * holder once and stored only as SHA-256 hashes (they carry 128+ bits of entropy, so a fast hash is enough;
 * passwords, which people choose, get argon2id in passwords.ts).
 */
import { createHash, randomBytes, randomInt } from "node:crypto";

/** Public identifier of a record (session id, token id, user id): not a secret. */
export const newId = (): string => randomBytes(12).toString("base64url");

/** A bearer secret with a recognisable prefix (so secret scanners and people can tell what leaked). */
export const newSecret = (prefix: "shs" | "shp" | "shc"): string =>
  `${prefix}_${randomBytes(32).toString("base64url")}`;

export const hashSecret = (secret: string): string => createHash("sha256").update(secret).digest("hex");

/** Crockford base32 without I, L, O, U: easy to read aloud and type from a phone. */
const CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** An invitation code: 12 symbols (60 bits), shown as XXXX-XXXX-XXXX. */
export function newInvitationCode(): string {
  let code = "";
  for (let i = 0; i < 12; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/** Accepts lower case, spaces and dashes, and the usual look-alikes (O→0, I/L→1). */
export function normalizeInvitationCode(input: string): string | null {
  const cleaned = input.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  if (!/^[0-9A-HJKMNP-TV-Z]{12}$/.test(cleaned)) return null;
  return `${cleaned.slice(0, 4)}-${cleaned.slice(4, 8)}-${cleaned.slice(8)}`;
}
