/**
 * SPAKE2+ pairing bound to the TLS channel (PAIRING-NOTES §3-4, docs/protocol.md `pair.*`).
 *
 * The hub is the SPAKE2+ prover (it knows the setup code), the robot the verifier (it stores only `w0` and
 * `L`, so a copied robot file does not reveal the code). The SPAKE2+ context is a hash of both certificate
 * fingerprints as each side saw them on the connection: a relay that terminates TLS with its own certificates
 * makes the two contexts differ, and then neither confirmation verifies.
 *
 * Message flow, with the method names of the protocol:
 *   pair.start     robot -> hub   salt, iterations            (from the stored verifier)
 *   pair.exchange  hub -> robot   pA = X                       PairingProver.exchange
 *                  robot -> hub   pB = Y, cB = HMAC(KcB, X)    PairingVerifier.respond
 *   pair.confirm   hub -> robot   cA = HMAC(KcA, Y)            PairingProver.confirm (only once cB verified)
 *                  robot          checks cA                    PairingVerifier.finish
 *
 * Whoever answers `respond` learns enough to test exactly one guess of the code offline, so the robot must
 * count an attempt before calling it (see AttemptLimiter.recordFailure).
 */
import nodeCrypto, { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { Bytes, NodeJsStyleCrypto, Spake2p } from "@matter/general";
import { PAIRING_PBKDF_ITERATIONS } from "./constants.ts";
import { normalizeFingerprint } from "./identity.ts";
import { normalizeSetupCode } from "./setup-code.ts";

/** What a robot keeps instead of its setup code. JSON-serialisable. */
export interface StoredVerifier {
  /** base64, 32 random bytes */
  salt: string;
  iterations: number;
  /** hex, 32 bytes */
  w0: string;
  /** base64, the uncompressed P-256 point w1·G (65 bytes) */
  L: string;
}

/**
 * Any failure of a pairing step. The message is the same whatever went wrong (wrong code, relay, malformed
 * or replayed message, step out of order), so neither a peer nor a log learns which part failed.
 */
export class PairingError extends Error {
  readonly code = "pairing_failed" as const;

  constructor() {
    super("Pairing failed: check the setup code and that the hub reaches the robot directly");
    this.name = "PairingError";
  }
}

/** Matter's bounds for the PBKDF2 iteration count (Matter Core spec, PASE), also those of `pair.start`. */
const MIN_ITERATIONS = 1_000;
const MAX_ITERATIONS = 100_000;
const SALT_BYTES = 32;
/** A peer's salt is accepted within Matter's 16..32 bytes and some room above. */
const MIN_SALT_BYTES = 16;
const MAX_SALT_BYTES = 64;
/** Uncompressed P-256 point: 0x04 || x || y. */
const POINT_BYTES = 65;
/** HMAC-SHA-256. */
const CONFIRMATION_BYTES = 32;
const CONTEXT_LABEL = "SweepLocalProtocol/1 pairing";

const crypto = new NodeJsStyleCrypto(nodeCrypto);

/** Robot side, once per setup code: derive what the robot stores. The code itself is not kept. */
export async function createVerifier(
  code: string,
  iterations = PAIRING_PBKDF_ITERATIONS,
): Promise<StoredVerifier> {
  const pin = pinOf(code);
  if (!isValidIterations(iterations)) {
    throw new RangeError(`iterations must be an integer in ${MIN_ITERATIONS}..${MAX_ITERATIONS}`);
  }
  const salt = randomBytes(SALT_BYTES);
  const { w0, L } = await Spake2p.computeW0L(crypto, { salt, iterations }, pin);
  return {
    salt: salt.toString("base64"),
    iterations,
    w0: Bytes.toHex(Bytes.fromBigInt(w0, 32)),
    L: Buffer.from(Bytes.of(L)).toString("base64"),
  };
}

/**
 * The SPAKE2+ context: SHA-256("SweepLocalProtocol/1 pairing" || 0x00 || hubFp || 0x00 || robotFp), the
 * fingerprints as canonical lowercase hex text. Each side passes the fingerprints of the certificates it saw
 * on this very connection (its own and the peer's), never ones it was told about.
 */
export function pairingContext(hubFingerprint: string, robotFingerprint: string): Buffer {
  return createHash("sha256")
    .update(CONTEXT_LABEL)
    .update(Buffer.of(0))
    .update(normalizeFingerprint(hubFingerprint))
    .update(Buffer.of(0))
    .update(normalizeFingerprint(robotFingerprint))
    .digest();
}

export interface PairingProverOptions {
  /** The setup code as typed; spaces and dashes are ignored. */
  code: string;
  hubFingerprint: string;
  robotFingerprint: string;
}

/** Hub side of one pairing attempt. Use each instance once. */
export class PairingProver {
  readonly #context: Buffer;
  #pin: number | undefined;
  #state: "new" | "exchanged" | "done" = "new";
  #spake: Spake2p | undefined;
  #w1 = 0n;
  #X: Uint8Array | undefined;

  /** Throws a RangeError (not quoting the code) if the code or a fingerprint is malformed. */
  constructor({ code, hubFingerprint, robotFingerprint }: PairingProverOptions) {
    this.#pin = pinOf(code);
    this.#context = pairingContext(hubFingerprint, robotFingerprint);
  }

  /** With the robot's `pair.start` answer: derive w0/w1 and make the share pA. */
  async exchange(salt: string, iterations: number): Promise<{ pA: string }> {
    const pin = this.#pin;
    this.#pin = undefined;
    this.#step("new", "exchanged");
    return guard(async () => {
      if (pin === undefined || !isValidIterations(iterations)) throw new PairingError();
      const saltBytes = decodeBase64(salt, MIN_SALT_BYTES, MAX_SALT_BYTES);
      const { w0, w1 } = await Spake2p.computeW0W1(crypto, { salt: saltBytes, iterations }, pin);
      this.#spake = Spake2p.create(crypto, this.#context, w0);
      this.#w1 = w1;
      this.#X = Bytes.of(this.#spake.computeX());
      return { pA: toBase64(this.#X) };
    });
  }

  /**
   * With the robot's `pair.exchange` answer: check its confirmation cB and return ours. Throws PairingError
   * if cB does not verify; cA is then never revealed, so a fake robot learns nothing about the code.
   */
  async confirm(pB: string, cB: string): Promise<{ cA: string }> {
    this.#step("exchanged", "done");
    const spake = this.#spake;
    const X = this.#X;
    const w1 = this.#w1;
    this.#spake = undefined;
    this.#X = undefined;
    this.#w1 = 0n;
    return guard(async () => {
      if (!spake || !X) throw new PairingError();
      const Y = decodePoint(pB);
      const theirConfirmation = decodeBase64(cB, CONFIRMATION_BYTES, CONFIRMATION_BYTES);
      const { hAY, hBX } = await spake.computeSecretAndVerifiersFromY(w1, X, Y);
      if (!constantTimeEqual(Bytes.of(hBX), theirConfirmation)) throw new PairingError();
      return { cA: toBase64(Bytes.of(hAY)) };
    });
  }

  /** Out of order ends the attempt and forgets its secrets, like any other failure. */
  #step(from: "new" | "exchanged", to: "exchanged" | "done"): void {
    if (this.#state !== from) {
      this.#state = "done";
      this.#pin = undefined;
      this.#spake = undefined;
      this.#X = undefined;
      this.#w1 = 0n;
      throw new PairingError();
    }
    this.#state = to;
  }
}

export interface PairingVerifierOptions {
  verifier: StoredVerifier;
  hubFingerprint: string;
  robotFingerprint: string;
}

/** Robot side of one pairing attempt. Use each instance once. */
export class PairingVerifier {
  readonly #context: Buffer;
  readonly #w0: bigint;
  readonly #L: Uint8Array;
  #state: "new" | "responded" | "done" = "new";
  #expectedConfirmation: Uint8Array | undefined;

  /** Throws a RangeError if the stored verifier or a fingerprint is malformed (local data, not the peer's). */
  constructor({ verifier, hubFingerprint, robotFingerprint }: PairingVerifierOptions) {
    const { w0, L } = parseStoredVerifier(verifier);
    this.#w0 = w0;
    this.#L = L;
    this.#context = pairingContext(hubFingerprint, robotFingerprint);
  }

  /** With the hub's pA: make our share pB and confirmation cB. Count the attempt before calling this. */
  async respond(pA: string): Promise<{ pB: string; cB: string }> {
    if (this.#state !== "new") return this.#fail();
    this.#state = "responded";
    return guard(async () => {
      const X = decodePoint(pA);
      const spake = Spake2p.create(crypto, this.#context, this.#w0);
      const Y = Bytes.of(spake.computeY());
      const { hAY, hBX } = await spake.computeSecretAndVerifiersFromX(this.#L, X, Y);
      this.#expectedConfirmation = Bytes.of(hAY);
      return { pB: toBase64(Y), cB: toBase64(Bytes.of(hBX)) };
    });
  }

  /** With the hub's cA: resolves only if the hub knew the code and saw the same certificates as we did. */
  async finish(cA: string): Promise<void> {
    const expected = this.#expectedConfirmation;
    this.#expectedConfirmation = undefined;
    if (this.#state !== "responded" || !expected) return this.#fail();
    this.#state = "done";
    return guard(async () => {
      const theirConfirmation = decodeBase64(cA, CONFIRMATION_BYTES, CONFIRMATION_BYTES);
      if (!constantTimeEqual(expected, theirConfirmation)) throw new PairingError();
    });
  }

  #fail(): never {
    this.#state = "done";
    this.#expectedConfirmation = undefined;
    throw new PairingError();
  }
}

function pinOf(code: string): number {
  const normalized = normalizeSetupCode(code);
  if (normalized === null) throw new RangeError("A setup code has exactly 8 digits");
  // Spake2p takes the code as a uint32 (Matter's passcode); 8 decimal digits always fit. Leading zeros are
  // not lost information because every code has exactly 8 digits.
  return Number(normalized);
}

function isValidIterations(iterations: number): boolean {
  return Number.isInteger(iterations) && iterations >= MIN_ITERATIONS && iterations <= MAX_ITERATIONS;
}

function parseStoredVerifier(verifier: StoredVerifier): { w0: bigint; L: Uint8Array } {
  try {
    decodeBase64(verifier.salt, MIN_SALT_BYTES, MAX_SALT_BYTES);
    if (!isValidIterations(verifier.iterations) || !/^[0-9a-f]{64}$/.test(verifier.w0))
      throw new PairingError();
    const w0 = Bytes.asBigInt(Bytes.fromHex(verifier.w0));
    if (w0 === 0n) throw new PairingError();
    // Checks L is a point on the curve (ecAdd parses both operands) rather than failing later, mid-pairing.
    const L = decodePoint(verifier.L);
    crypto.ecAdd(L, L);
    return { w0, L };
  } catch {
    throw new RangeError("The stored pairing verifier is malformed");
  }
}

/** Strict standard base64 (canonical, padded) of a length in [min, max]; anything else is a PairingError. */
function decodeBase64(value: unknown, min: number, max: number): Uint8Array {
  if (typeof value !== "string" || value.length > 4 * Math.ceil(max / 3)) throw new PairingError();
  const bytes = Buffer.from(value, "base64");
  if (bytes.length < min || bytes.length > max || bytes.toString("base64") !== value)
    throw new PairingError();
  return bytes;
}

/** An uncompressed P-256 point; whether it is on the curve, Spake2p checks. */
function decodePoint(value: unknown): Uint8Array {
  const bytes = decodeBase64(value, POINT_BYTES, POINT_BYTES);
  if (bytes[0] !== 0x04) throw new PairingError();
  return bytes;
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/** Whatever a step throws (Spake2p's "not on the curve", a PBKDF2 failure ...) becomes the one PairingError. */
async function guard<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch {
    throw new PairingError();
  }
}
