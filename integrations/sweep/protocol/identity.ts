/**
 * Long-lived identities (PAIRING-NOTES §1): an ECDSA P-256 key and a self-signed certificate per hub and per
 * robot. Peers are recognised by the SHA-256 fingerprint of the certificate, never by its names, so the
 * certificate only has to be acceptable to Node's TLS as both a server and a client certificate.
 */
import { createHash, createPrivateKey, randomBytes, webcrypto, X509Certificate } from "node:crypto";
import { chmod, mkdir, open, readFile, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type * as X509 from "@peculiar/x509";

export interface Identity {
  /** PKCS#8 PEM private key. */
  keyPem: string;
  certPem: string;
  /** Lowercase hex SHA-256 of the certificate DER, no separators (64 chars). */
  fingerprint: string;
}

const VALIDITY_YEARS = 30;
const KEY_ALGORITHM: EcKeyGenParams = { name: "ECDSA", namedCurve: "P-256" };
const SIGNING_ALGORITHM: EcdsaParams = { name: "ECDSA", hash: "SHA-256" };
const FINGERPRINT_PATTERN = /^[0-9a-f]{64}$/;

/** Generate a fresh identity in memory. */
export async function createIdentity(commonName: string): Promise<Identity> {
  const x509 = await loadX509();
  // Node's webcrypto is passed explicitly rather than set as @peculiar/x509's global provider, so importing
  // this module changes no global state.
  const crypto = webcrypto as unknown as Crypto;
  const keys = await crypto.subtle.generateKey(KEY_ALGORITHM, true, ["sign", "verify"]);
  const notBefore = new Date();
  // Backdated a day so a peer whose clock is slightly behind still sees a valid certificate.
  notBefore.setUTCDate(notBefore.getUTCDate() - 1);
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + VALIDITY_YEARS);
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerialNumber(),
      // JSON form, not an "CN=..." string, so a name containing "," or "=" cannot inject attributes.
      name: [{ CN: [commonName] }],
      notBefore,
      notAfter,
      signingAlgorithm: SIGNING_ALGORITHM,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([
          x509.ExtendedKeyUsage.serverAuth,
          x509.ExtendedKeyUsage.clientAuth,
        ]),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  const pkcs8 = await crypto.subtle.exportKey("pkcs8", keys.privateKey);
  const keyPem = x509.PemConverter.encode(pkcs8, "PRIVATE KEY");
  const certPem = cert.toString("pem");
  return {
    keyPem: withFinalNewline(keyPem),
    certPem: withFinalNewline(certPem),
    fingerprint: fingerprintOf(certPem),
  };
}

/**
 * Load `<dir>/<name>.key` and `<dir>/<name>.crt`, or create both on first start. A key without a certificate
 * is what a crash between the two renames leaves (the key is written first); its identity was never handed
 * out, so it is replaced. Anything else unexpected (a certificate without key, files that do not parse or do
 * not belong together) is an error: silently making a new identity would break every pairing.
 */
export async function loadOrCreateIdentity(dir: string, name: string, commonName: string): Promise<Identity> {
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name.startsWith("."))
    throw new RangeError(`Invalid identity name "${name}"`);
  const keyPath = join(dir, `${name}.key`);
  const certPath = join(dir, `${name}.crt`);
  const [keyPem, certPem] = await Promise.all([readIfExists(keyPath), readIfExists(certPath)]);
  if (keyPem !== null && certPem !== null) {
    const identity = parseIdentity(keyPem, certPem, keyPath, certPath);
    // A key readable by others may already be copied; at least stop the leak (ssh would refuse outright).
    const { mode } = await stat(keyPath);
    if ((mode & 0o077) !== 0) await chmod(keyPath, 0o600);
    return identity;
  }
  if (certPem !== null) {
    throw new Error(`Identity ${certPath} exists but its private key ${keyPath} is missing`);
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const identity = await createIdentity(commonName);
  await writeFileAtomic(keyPath, identity.keyPem, 0o600);
  await writeFileAtomic(certPath, identity.certPem, 0o644);
  await syncDirectory(dir);
  return identity;
}

/** SHA-256 fingerprint (canonical form) of a certificate given as PEM or DER. */
export function fingerprintOf(certPemOrDer: string | Buffer): string {
  return createHash("sha256").update(new X509Certificate(certPemOrDer).raw).digest("hex");
}

/**
 * Canonical fingerprint from either our form or Node's `getPeerCertificate().fingerprint256` ("AB:CD:...").
 * Throws a RangeError for anything that is not a SHA-256 fingerprint.
 */
export function normalizeFingerprint(fingerprint: string): string {
  const canonical = fingerprint.trim().replaceAll(":", "").toLowerCase();
  if (!FINGERPRINT_PATTERN.test(canonical)) throw new RangeError("Not a SHA-256 certificate fingerprint");
  return canonical;
}

/** First 16 hex digits, for the mDNS TXT record `fp`: a hint for finding a robot, never proof of identity. */
export function shortFingerprint(fingerprint: string): string {
  return normalizeFingerprint(fingerprint).slice(0, 16);
}

function parseIdentity(keyPem: string, certPem: string, keyPath: string, certPath: string): Identity {
  let matches: boolean;
  try {
    matches = new X509Certificate(certPem).checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    // The parser's message is not repeated: for a key file it could quote key material.
    throw new Error(`Identity files ${keyPath} / ${certPath} do not parse`);
  }
  if (!matches) throw new Error(`Identity files ${keyPath} and ${certPath} do not belong together`);
  return { keyPem, certPem, fingerprint: fingerprintOf(certPem) };
}

async function readIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** Temp file in the same directory, flushed, then renamed over the target: readers see all or nothing. */
async function writeFileAtomic(path: string, contents: string, mode: number): Promise<void> {
  const tmpPath = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    const handle = await open(tmpPath, "wx", mode);
    try {
      await handle.chmod(mode); // the umask may have narrowed (or, for the cert, changed) the mode
      await handle.writeFile(contents, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmpPath, path);
  } catch (error) {
    await rm(tmpPath, { force: true });
    throw error;
  }
}

/** Make the renames durable. Not every platform can fsync a directory; that only weakens crash safety. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}

let x509Module: Promise<typeof X509> | undefined;

/**
 * @peculiar/x509 finds its algorithms through tsyringe, which throws on import unless the `reflect-metadata`
 * polyfill was loaded first. Loading lazily also keeps the fingerprint helpers free of the library's import cost.
 * Anything else that uses @peculiar/x509 (the hub's local CA) must load it through this function too.
 */
export function loadX509(): Promise<typeof X509> {
  x509Module ??= (async () => {
    await import("reflect-metadata");
    return import("@peculiar/x509");
  })();
  return x509Module;
}

/** Positive (high bit clear), non-zero, 16 bytes of randomness: what RFC 5280 §4.1.2.2 asks of a serial. */
function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return bytes.toString("hex");
}

function withFinalNewline(pem: string): string {
  return pem.endsWith("\n") ? pem : `${pem}\n`;
}
