import assert from "node:assert/strict";
import { createHash, createPrivateKey, X509Certificate } from "node:crypto";
import { chmod, mkdtemp, readdir, readFile, rm, stat, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  createIdentity,
  fingerprintOf,
  type Identity,
  loadOrCreateIdentity,
  normalizeFingerprint,
  shortFingerprint,
} from "../../../../integrations/sweep/protocol/identity.ts";
import { mutualTlsHandshake } from "../../../support/tls-handshake.ts";

const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
const CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

let hub: Identity;
let robot: Identity;
let root: string;

before(async () => {
  [hub, robot] = await Promise.all([createIdentity("SweepHub test"), createIdentity("Robot, O=Evil")]);
  root = await mkdtemp(join(tmpdir(), "sweephub-identity-"));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("createIdentity", () => {
  test("self-signed P-256 certificate usable for TLS client and server auth", () => {
    const cert = new X509Certificate(hub.certPem);
    assert.equal(cert.subject, "CN=SweepHub test");
    assert.equal(cert.issuer, cert.subject);
    assert.equal(cert.publicKey.asymmetricKeyType, "ec");
    assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, "prime256v1");
    assert.equal(cert.ca, false);
    assert.deepEqual([...(cert.keyUsage ?? [])].sort(), [SERVER_AUTH, CLIENT_AUTH]);
    assert.ok(cert.verify(cert.publicKey), "self-signed");
    assert.match(hub.keyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.ok(cert.checkPrivateKey(createPrivateKey(hub.keyPem)));
    assert.ok(!cert.checkPrivateKey(createPrivateKey(robot.keyPem)));
    const years = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / (365.25 * 24 * 3600 * 1000);
    assert.ok(years > 29.9 && years < 30.1, `validity ${years} years`);
    assert.ok(Date.parse(cert.validFrom) < Date.now(), "already valid");
  });

  test("a common name cannot inject other name attributes", () => {
    // Node escapes the comma: one CN attribute holding the whole name, no O attribute.
    assert.equal(new X509Certificate(robot.certPem).subject, "CN=Robot\\, O=Evil");
  });

  test("two identities differ", () => {
    assert.notEqual(hub.fingerprint, robot.fingerprint);
    assert.notEqual(hub.keyPem, robot.keyPem);
  });
});

describe("fingerprints", () => {
  test("SHA-256 of the DER, equal to Node's fingerprint256 normalised", () => {
    const cert = new X509Certificate(hub.certPem);
    assert.match(hub.fingerprint, /^[0-9a-f]{64}$/);
    assert.equal(hub.fingerprint, createHash("sha256").update(cert.raw).digest("hex"));
    assert.equal(normalizeFingerprint(cert.fingerprint256), hub.fingerprint);
    assert.equal(fingerprintOf(hub.certPem), hub.fingerprint);
    assert.equal(fingerprintOf(cert.raw), hub.fingerprint);
  });

  test("normalize accepts Node's form and refuses anything else", () => {
    const colons = hub.fingerprint.toUpperCase().match(/../g)?.join(":") ?? "";
    assert.equal(normalizeFingerprint(colons), hub.fingerprint);
    assert.equal(normalizeFingerprint(hub.fingerprint), hub.fingerprint);
    for (const bad of [
      "",
      "abc",
      hub.fingerprint.slice(1),
      `${hub.fingerprint}00`,
      `${hub.fingerprint.slice(1)}g`,
    ]) {
      assert.throws(() => normalizeFingerprint(bad), RangeError);
    }
    // A SHA-1 fingerprint (Node's `fingerprint`) is not accepted in place of SHA-256.
    assert.throws(() => normalizeFingerprint(new X509Certificate(hub.certPem).fingerprint), RangeError);
  });

  test("short fingerprint is the first 16 hex digits", () => {
    assert.equal(shortFingerprint(hub.fingerprint), hub.fingerprint.slice(0, 16));
    assert.equal(
      shortFingerprint(new X509Certificate(hub.certPem).fingerprint256),
      hub.fingerprint.slice(0, 16),
    );
  });
});

describe("loadOrCreateIdentity", () => {
  test("creates key 0600, cert 0644 in a 0700 directory, atomically, and reuses them", async () => {
    const dir = join(root, "data", "keys");
    const created = await loadOrCreateIdentity(dir, "hub", "SweepHub");
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
    assert.equal((await stat(join(dir, "hub.key"))).mode & 0o777, 0o600);
    assert.equal((await stat(join(dir, "hub.crt"))).mode & 0o777, 0o644);
    assert.deepEqual((await readdir(dir)).sort(), ["hub.crt", "hub.key"], "no temp files left");
    assert.equal(await readFile(join(dir, "hub.key"), "utf8"), created.keyPem);
    assert.equal(await readFile(join(dir, "hub.crt"), "utf8"), created.certPem);
    assert.equal(fingerprintOf(created.certPem), created.fingerprint);

    const again = await loadOrCreateIdentity(dir, "hub", "SweepHub");
    assert.deepEqual(again, created);
    const other = await loadOrCreateIdentity(dir, "robot", "Robot");
    assert.notEqual(other.fingerprint, created.fingerprint);
  });

  test("a key readable by others is tightened to 0600", async () => {
    const dir = join(root, "loose");
    const created = await loadOrCreateIdentity(dir, "hub", "SweepHub");
    await chmod(join(dir, "hub.key"), 0o644);
    assert.deepEqual(await loadOrCreateIdentity(dir, "hub", "SweepHub"), created);
    assert.equal((await stat(join(dir, "hub.key"))).mode & 0o777, 0o600);
  });

  test("a key without certificate (crash between the renames) is replaced", async () => {
    const dir = join(root, "half");
    const first = await loadOrCreateIdentity(dir, "hub", "SweepHub");
    await unlink(join(dir, "hub.crt"));
    const second = await loadOrCreateIdentity(dir, "hub", "SweepHub");
    assert.notEqual(second.fingerprint, first.fingerprint);
    assert.deepEqual(await loadOrCreateIdentity(dir, "hub", "SweepHub"), second);
  });

  test("refuses a certificate without key, mismatched files and garbage, without quoting the key", async () => {
    const dir = join(root, "broken");
    await loadOrCreateIdentity(dir, "hub", "SweepHub");
    await writeFile(join(dir, "hub.crt"), robot.certPem);
    await assert.rejects(loadOrCreateIdentity(dir, "hub", "SweepHub"), /do not belong together/);

    const garbage = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END PRIVATE KEY-----\n";
    await writeFile(join(dir, "hub.key"), garbage);
    await assert.rejects(loadOrCreateIdentity(dir, "hub", "SweepHub"), (error: Error) => {
      assert.match(error.message, /do not parse/);
      assert.ok(!error.message.includes("c2VjcmV0"), "key material in the message");
      return true;
    });

    await unlink(join(dir, "hub.key"));
    await assert.rejects(loadOrCreateIdentity(dir, "hub", "SweepHub"), /private key .* is missing/);
  });

  test("refuses names that would leave the directory", async () => {
    for (const name of ["../hub", "a/b", "", ".hidden"]) {
      await assert.rejects(loadOrCreateIdentity(join(root, "names"), name, "x"), RangeError);
    }
  });
});

describe("TLS with two identities", () => {
  test("handshake on 127.0.0.1; each side sees the other's fingerprint", async () => {
    const { serverSaw, clientSaw } = await mutualTlsHandshake(robot, hub);
    assert.equal(normalizeFingerprint(clientSaw.fingerprint256), robot.fingerprint);
    assert.equal(fingerprintOf(clientSaw.raw), robot.fingerprint);
    assert.equal(normalizeFingerprint(serverSaw.fingerprint256), hub.fingerprint);
  });
});
