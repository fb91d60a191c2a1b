/**
 * HTTPS for the dashboard. Mode `local-ca`: on first start the hub creates its own certificate authority
 * (data/tls/ca.crt + ca.key, ECDSA P-256, 10 years) and issues a server certificate for this machine's names
 * and addresses (localhost, the hostname, hostname.local, every interface address). Users trust the CA once
 * (downloaded from /api/tls/ca.crt); the server certificate is re-issued when the machine's names or addresses
 * change or it nears expiry (397 days, the longest browsers accept). Mode `custom`: the user's own files.
 */
import { createHash, randomBytes, webcrypto, X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, networkInterfaces } from "node:os";
import { isAbsolute, join } from "node:path";
import { loadX509 } from "../../integrations/sweep/protocol/identity.ts";
import type { Config } from "../config/load.ts";
import type { Logger } from "../logging.ts";

export interface TlsMaterial {
  mode: "local-ca" | "custom";
  keyPem: string;
  certPem: string;
  /** The local CA's certificate (to download and trust); null for custom certificates. */
  caCertPem: string | null;
  /** SHA-256 of the CA certificate, "AB:CD:..." as browsers show it; null for custom. */
  caFingerprint: string | null;
  /** DNS names and IP addresses the server certificate is valid for. */
  names: string[];
  notAfter: string;
}

const DAY = 86_400_000;
const SERVER_DAYS = 397;
const RENEW_BEFORE_DAYS = 30;

export async function loadTls(cfg: Config["tls"], dataDir: string, log: Logger): Promise<TlsMaterial | null> {
  if (cfg.mode === "off") return null;
  if (cfg.mode === "custom") {
    if (!cfg.certFile || !cfg.keyFile)
      throw new Error("tls.mode is custom: set tls.certFile and tls.keyFile");
    const resolve = (p: string) => (isAbsolute(p) ? p : join(dataDir, p));
    const certPem = readFileSync(resolve(cfg.certFile), "utf8");
    const keyPem = readFileSync(resolve(cfg.keyFile), "utf8");
    const cert = new X509Certificate(certPem);
    if (!cert.checkPrivateKey(await importKey(keyPem)))
      throw new Error(`tls.keyFile does not belong to the certificate in tls.certFile`);
    return {
      mode: "custom",
      keyPem,
      certPem,
      caCertPem: null,
      caFingerprint: null,
      names: (cert.subjectAltName ?? "").split(", ").filter(Boolean),
      notAfter: new Date(cert.validTo).toISOString(),
    };
  }
  return loadOrCreateLocalCa(join(dataDir, "tls"), log);
}

async function importKey(pem: string) {
  const { createPrivateKey } = await import("node:crypto");
  return createPrivateKey(pem);
}

/** The names this machine is reached by. */
export function localNames(): { dns: string[]; ips: string[] } {
  const host = hostname();
  const dns = [...new Set(["localhost", host, host.includes(".") ? "" : `${host}.local`].filter(Boolean))];
  const ips = new Set(["127.0.0.1", "::1"]);
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (!a.address.startsWith("fe80")) ips.add(a.address);
  }
  return { dns, ips: [...ips] };
}

export async function loadOrCreateLocalCa(dir: string, log: Logger): Promise<TlsMaterial> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const x509 = await loadX509();
  const crypto = webcrypto as unknown as Crypto;
  const alg = { name: "ECDSA", namedCurve: "P-256" };
  const signingAlgorithm = { name: "ECDSA", hash: "SHA-256" };
  const caKeyPath = join(dir, "ca.key");
  const caCertPath = join(dir, "ca.crt");

  let caKeys: CryptoKeyPair;
  let caCert: InstanceType<typeof x509.X509Certificate>;
  if (existsSync(caKeyPath) && existsSync(caCertPath)) {
    caCert = new x509.X509Certificate(readFileSync(caCertPath, "utf8"));
    const priv = await crypto.subtle.importKey(
      "pkcs8",
      x509.PemConverter.decodeFirst(readFileSync(caKeyPath, "utf8")),
      alg,
      true,
      ["sign"],
    );
    caKeys = { privateKey: priv, publicKey: await caCert.publicKey.export(alg, ["verify"], crypto) };
  } else {
    caKeys = await crypto.subtle.generateKey(alg, true, ["sign", "verify"]);
    const notBefore = new Date(Date.now() - DAY);
    caCert = await x509.X509CertificateGenerator.createSelfSigned(
      {
        serialNumber: serial(),
        name: [{ CN: [`sweephub local CA (${hostname()})`], O: ["sweephub"] }],
        notBefore,
        notAfter: new Date(notBefore.getTime() + 3650 * DAY),
        signingAlgorithm,
        keys: caKeys,
        extensions: [
          new x509.BasicConstraintsExtension(true, 0, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
          await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey, false, crypto),
        ],
      },
      crypto,
    );
    writeFileSync(caKeyPath, pem(x509, await crypto.subtle.exportKey("pkcs8", caKeys.privateKey)), {
      mode: 0o600,
    });
    writeFileSync(caCertPath, caCert.toString("pem") + "\n", { mode: 0o644 });
    log.info({ path: caCertPath }, "created the hub's local certificate authority");
  }

  const { dns, ips } = localNames();
  const names = [...dns, ...ips];
  const serverKeyPath = join(dir, "server.key");
  const serverCertPath = join(dir, "server.crt");
  const namesPath = join(dir, "server-names.json");
  if (existsSync(serverKeyPath) && existsSync(serverCertPath) && existsSync(namesPath)) {
    const cert = new X509Certificate(readFileSync(serverCertPath, "utf8"));
    const sameNames = readFileSync(namesPath, "utf8") === JSON.stringify(names);
    const fresh = new Date(cert.validTo).getTime() - Date.now() > RENEW_BEFORE_DAYS * DAY;
    if (sameNames && fresh && cert.checkIssued(new X509Certificate(caCert.toString("pem"))))
      return material(
        readFileSync(serverKeyPath, "utf8"),
        readFileSync(serverCertPath, "utf8"),
        caCert.toString("pem"),
        names,
      );
  }
  const keys = await crypto.subtle.generateKey(alg, true, ["sign", "verify"]);
  const notBefore = new Date(Date.now() - DAY);
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serial(),
      subject: [{ CN: [dns[1] ?? "localhost"] }],
      issuer: caCert.subjectName,
      notBefore,
      notAfter: new Date(notBefore.getTime() + SERVER_DAYS * DAY),
      signingAlgorithm,
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension([
          ...dns.map((value) => ({ type: "dns" as const, value })),
          ...ips.map((value) => ({ type: "ip" as const, value })),
        ]),
        await x509.AuthorityKeyIdentifierExtension.create(caCert, false, crypto),
      ],
    },
    crypto,
  );
  const keyPem = pem(x509, await crypto.subtle.exportKey("pkcs8", keys.privateKey));
  const certPem = cert.toString("pem") + "\n";
  writeFileSync(serverKeyPath, keyPem, { mode: 0o600 });
  writeFileSync(serverCertPath, certPem, { mode: 0o644 });
  writeFileSync(namesPath, JSON.stringify(names), { mode: 0o644 });
  log.info({ names }, "issued the hub's HTTPS certificate from its local CA");
  return material(keyPem, certPem, caCert.toString("pem"), names);
}

function material(keyPem: string, certPem: string, caPem: string, names: string[]): TlsMaterial {
  const ca = new X509Certificate(caPem);
  const der = ca.raw;
  const fp = createHash("sha256").update(der).digest("hex").toUpperCase().match(/../g)!.join(":");
  return {
    mode: "local-ca",
    keyPem,
    certPem,
    caCertPem: caPem.endsWith("\n") ? caPem : `${caPem}\n`,
    caFingerprint: fp,
    names,
    notAfter: new Date(new X509Certificate(certPem).validTo).toISOString(),
  };
}

function pem(x509: Awaited<ReturnType<typeof loadX509>>, der: ArrayBuffer): string {
  return `${x509.PemConverter.encode(der, "PRIVATE KEY")}\n`;
}

function serial(): string {
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f;
  return b.toString("hex");
}
