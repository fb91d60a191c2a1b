/**
 * Can a robot maker implement pairing from docs/protocol.md §3 alone? This is the hub side written only from
 * the document (P-256 arithmetic on BigInts and node:crypto's PBKDF2, HKDF, HMAC and SHA-256; not matter.js),
 * run against the reference robot verifier. If the document misstates a parameter, an encoding or the order of
 * the transcript, the confirmations do not match and this fails.
 */
import assert from "node:assert/strict";
import { createHash, createHmac, hkdfSync, pbkdf2Sync, randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { createVerifier, PairingVerifier } from "../../integrations/sweep/protocol/pairing.ts";

// NIST P-256 (SEC 2 §2.4.2).
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const A = P - 3n;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;
const n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
type Point = { x: bigint; y: bigint } | null; // null = point at infinity
const G: Point = {
  x: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  y: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
};

const mod = (a: bigint, m = P) => ((a % m) + m) % m;
function inv(a: bigint): bigint {
  let [r0, r1, s0, s1] = [mod(a), P, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
  }
  return mod(s0);
}
function powMod(base: bigint, exp: bigint): bigint {
  let [result, b, e] = [1n, mod(base), exp];
  while (e > 0n) {
    if (e & 1n) result = mod(result * b);
    b = mod(b * b);
    e >>= 1n;
  }
  return result;
}
function add(p1: Point, p2: Point): Point {
  if (!p1) return p2;
  if (!p2) return p1;
  if (p1.x === p2.x && mod(p1.y + p2.y) === 0n) return null;
  const l =
    p1.x === p2.x ? mod((3n * p1.x * p1.x + A) * inv(2n * p1.y)) : mod((p2.y - p1.y) * inv(p2.x - p1.x));
  const x = mod(l * l - p1.x - p2.x);
  return { x, y: mod(l * (p1.x - x) - p1.y) };
}
function mul(k: bigint, pt: Point): Point {
  let [result, addend, e] = [null as Point, pt, mod(k, n)];
  while (e > 0n) {
    if (e & 1n) result = add(result, addend);
    addend = add(addend, addend);
    e >>= 1n;
  }
  return result;
}
const neg = (pt: Point): Point => (pt ? { x: pt.x, y: mod(-pt.y) } : null);
const onCurve = (pt: Point) => pt !== null && mod(pt.y * pt.y) === mod(pt.x ** 3n + A * pt.x + B);
const be = (v: bigint, bytes: number) => Buffer.from(v.toString(16).padStart(bytes * 2, "0"), "hex");
const big = (buf: Uint8Array) => BigInt(`0x${Buffer.from(buf).toString("hex") || "0"}`);
/** SEC1 uncompressed: 0x04 || x || y. */
const encode = (pt: Point) => {
  if (!pt) throw new Error("infinity");
  return Buffer.concat([Buffer.of(4), be(pt.x, 32), be(pt.y, 32)]);
};
function decode(bytes: Buffer): Point {
  if (bytes.length === 65 && bytes[0] === 4)
    return { x: big(bytes.subarray(1, 33)), y: big(bytes.subarray(33)) };
  // SEC1 compressed (M and N in the document); P ≡ 3 mod 4, so the square root is a power.
  const x = big(bytes.subarray(1));
  let y = powMod(x ** 3n + A * x + B, (P + 1n) / 4n);
  if ((y & 1n) !== BigInt(bytes[0] & 1)) y = mod(-y);
  return { x, y };
}

// Values exactly as docs/protocol.md §3.2 and §3.3 give them.
const M = decode(Buffer.from("02886e2f97ace46e55ba9dd7242579f2993b64e16ef3dcab95afd497333d8fa12f", "hex"));
const N = decode(Buffer.from("03d8bbd6c639c62937b04d997f38c3770719c629d7014d49a24b4f98baa1292b49", "hex"));

function deriveW(code: string, salt: Buffer, iterations: number): { w0: bigint; w1: bigint } {
  const password = Buffer.alloc(4);
  password.writeUInt32LE(Number(code));
  const out = pbkdf2Sync(password, salt, iterations, 80, "sha256");
  return { w0: mod(big(out.subarray(0, 40)), n), w1: mod(big(out.subarray(40, 80)), n) };
}

function context(hubFp: string, robotFp: string): Buffer {
  return createHash("sha256")
    .update(Buffer.concat([Buffer.from("SweepLocalProtocol/1 pairing"), Buffer.of(0), Buffer.from(hubFp)]))
    .update(Buffer.concat([Buffer.of(0), Buffer.from(robotFp)]))
    .digest();
}

function confirmationKeys(items: Buffer[]): { KcA: Buffer; KcB: Buffer } {
  const tt = Buffer.concat(
    items.flatMap((item) => {
      const len = Buffer.alloc(8);
      len.writeBigUInt64LE(BigInt(item.length));
      return [len, item];
    }),
  );
  const K = createHash("sha256").update(tt).digest();
  const Kc = Buffer.from(hkdfSync("sha256", K.subarray(0, 16), Buffer.alloc(0), "ConfirmationKeys", 32));
  return { KcA: Kc.subarray(0, 16), KcB: Kc.subarray(16, 32) };
}

const hmac = (key: Buffer, data: Buffer) => createHmac("sha256", key).update(data).digest();
const fingerprint = () => randomBytes(32).toString("hex");

/** The hub's side of §3.4-3.5, written from the document, against the reference robot. */
async function pairFromTheDocument(typedCode: string, stickerCode: string) {
  const stored = await createVerifier(stickerCode, 1_000);
  const hubFp = fingerprint();
  const robotFp = fingerprint();
  const robot = new PairingVerifier({ verifier: stored, hubFingerprint: hubFp, robotFingerprint: robotFp });
  const { w0, w1 } = deriveW(typedCode, Buffer.from(stored.salt, "base64"), stored.iterations);
  const x = big(randomBytes(32)) % n;
  const X = add(mul(x, G), mul(w0, M));
  const { pB, cB } = await robot.respond(encode(X).toString("base64"));
  const Y = decode(Buffer.from(pB, "base64"));
  assert.ok(onCurve(Y), "the robot's share is on the curve");
  const base = add(Y, neg(mul(w0, N)));
  const Z = mul(x, base);
  const V = mul(w1, base);
  const { KcA, KcB } = confirmationKeys([
    context(hubFp, robotFp),
    Buffer.alloc(0),
    Buffer.alloc(0),
    encode(M),
    encode(N),
    encode(X),
    encode(Y),
    encode(Z),
    encode(V),
    be(w0, 32),
  ]);
  const robotConfirmed = hmac(KcB, encode(X)).equals(Buffer.from(cB, "base64"));
  return { stored, robot, robotConfirmed, cA: hmac(KcA, encode(Y)).toString("base64"), w0, w1 };
}

describe("docs/protocol.md §3: pairing implemented from the document", () => {
  it("derives the verifier the reference robot stores (w0 and L = w1·G)", async () => {
    const { stored, w0, w1 } = await pairFromTheDocument("02048173", "02048173");
    assert.equal(be(w0, 32).toString("hex"), stored.w0);
    assert.equal(encode(mul(w1, G)).toString("base64"), stored.L);
  });

  it("verifies the robot's confirmation cB, and the robot accepts our cA", async () => {
    const { robot, robotConfirmed, cA } = await pairFromTheDocument("20481736", "20481736");
    assert.ok(robotConfirmed, "cB = HMAC(KcB, X) as the document says");
    await robot.finish(cA);
  });

  it("with a wrong code neither confirmation matches", async () => {
    const { robot, robotConfirmed, cA } = await pairFromTheDocument("20481737", "20481736");
    assert.equal(robotConfirmed, false);
    await assert.rejects(robot.finish(cA), { code: "pairing_failed" });
  });
});
