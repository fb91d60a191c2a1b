/**
 * HTTPS with the hub's local CA: the CA certificate downloaded from the hub verifies the hub's certificate with
 * Node's own TLS (for 127.0.0.1 and localhost), a client without it refuses the connection, the CA survives a
 * restart, and security headers come with every response (including errors and the dashboard).
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { request } from "node:https";
import { after, before, describe, it } from "node:test";
import { connect } from "node:tls";
import { loadOrCreateLocalCa } from "../../hub/tls/local-ca.ts";
import { memoryLogger, startTestHub, type TestHub, tempDir } from "../support/harness.ts";

const ENV = {
  SWEEPHUB_DISCOVERY_INTERFACE: "127.0.0.1",
  SWEEPHUB_MATTER_ENABLED: "false",
  SWEEPHUB_DISCOVERY_ENABLED: "false",
  SWEEPHUB_TLS_MODE: "local-ca",
};

function get(
  url: string,
  opts: { ca?: string; rejectUnauthorized?: boolean } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, opts, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

function tlsAuthorized(
  port: number,
  servername: string,
  ca?: string,
): Promise<{ authorized: boolean; error?: string }> {
  return new Promise((resolve) => {
    const socket = connect(
      {
        host: "127.0.0.1",
        port,
        // An IP address is checked against the certificate from `host`; SNI carries DNS names only (RFC 6066).
        ...(/^[0-9.]+$/.test(servername) ? {} : { servername }),
        ...(ca ? { ca } : {}),
        rejectUnauthorized: false,
      },
      () => {
        resolve({
          authorized: socket.authorized,
          ...(socket.authorizationError ? { error: String(socket.authorizationError) } : {}),
        });
        socket.end();
      },
    );
    socket.on("error", (err) => resolve({ authorized: false, error: err.message }));
  });
}

describe("HTTPS with the hub's local CA", () => {
  const dir = tempDir("https");
  let hub: TestHub;
  let ca: string;

  before(async () => {
    hub = await startTestHub(`${dir.path}/hub`, { onboard: false, env: ENV });
  });
  after(async () => {
    await hub?.stop();
    dir.remove();
  });

  it("serves HTTPS and the CA certificate for download", async () => {
    assert.match(hub.url, /^https:\/\//);
    // First contact: the user does not trust the CA yet (the browser would warn), so download without verifying...
    const res = await get(`${hub.url}/api/tls/ca.crt`, { rejectUnauthorized: false });
    assert.equal(res.status, 200);
    assert.match(res.body, /^-----BEGIN CERTIFICATE-----/);
    ca = res.body;
    // ...and compare the fingerprint the hub shows (in its log and /api/tls) with the downloaded file.
    assert.equal(ca, hub.app.deps.access.tls?.caCertPem);
  });

  it("the downloaded CA verifies the hub's certificate with Node's TLS; without it the connection is refused", async () => {
    for (const name of ["localhost", "127.0.0.1"]) {
      const ok = await tlsAuthorized(hub.port, name, ca);
      assert.equal(ok.authorized, true, `${name}: ${ok.error}`);
    }
    const untrusted = await tlsAuthorized(hub.port, "localhost");
    assert.equal(untrusted.authorized, false);
    const wrongName = await tlsAuthorized(hub.port, "not-this-hub.example", ca);
    assert.equal(wrongName.authorized, false);
    const verified = await get(`${hub.url}/api/auth/status`, { ca });
    assert.equal(verified.status, 200);
    await assert.rejects(get(`${hub.url}/api/auth/status`), /self[- ]signed|unable to verify|certificate/i);
  });

  it("sends security headers on every response, HSTS included", async () => {
    for (const path of ["/api/auth/status", "/api/robots", "/api/nothing-here", "/"]) {
      const res = await get(`${hub.url}${path}`, { ca });
      const csp = String(res.headers["content-security-policy"]);
      assert.match(csp, /default-src 'self'/, path);
      assert.match(csp, /script-src 'self'(;|$)/, `${path}: no inline scripts`);
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.equal(res.headers["x-content-type-options"], "nosniff", path);
      assert.match(String(res.headers["strict-transport-security"]), /max-age=\d+/, path);
      assert.equal(res.headers["referrer-policy"], "same-origin", path);
    }
  });

  it("keeps its CA across restarts, so browsers stay trusting", async () => {
    await hub.stop();
    hub = await startTestHub(`${dir.path}/hub`, { onboard: false, env: ENV });
    const ok = await tlsAuthorized(hub.port, "localhost", ca);
    assert.equal(ok.authorized, true, ok.error);
    assert.equal(hub.app.deps.access.tls?.caCertPem, ca);
  });
});

describe("HTTPS with the user's own certificate", () => {
  const dir = tempDir("https-custom");
  after(() => dir.remove());

  it("serves the given certificate, and refuses to start with a key that does not belong to it", async () => {
    // A certificate from some other CA, as a user would bring from their own PKI.
    const theirs = await loadOrCreateLocalCa(`${dir.path}/their-pki`, memoryLogger("warn").log);
    writeFileSync(`${dir.path}/cert.pem`, theirs.certPem);
    writeFileSync(`${dir.path}/key.pem`, theirs.keyPem);
    const env = {
      ...ENV,
      SWEEPHUB_TLS_MODE: "custom",
      SWEEPHUB_TLS_CERT_FILE: `${dir.path}/cert.pem`,
      SWEEPHUB_TLS_KEY_FILE: "../key.pem",
    };
    const hub = await startTestHub(`${dir.path}/hub`, { onboard: false, env });
    try {
      const ok = await tlsAuthorized(hub.port, "localhost", theirs.caCertPem!);
      assert.equal(ok.authorized, true, ok.error);
      const tls = await get(`${hub.url}/api/tls/ca.crt`, { ca: theirs.caCertPem! });
      assert.equal(tls.status, 404, "no local CA to download in custom mode");
    } finally {
      await hub.stop();
    }
    const other = await loadOrCreateLocalCa(`${dir.path}/other-pki`, memoryLogger("warn").log);
    writeFileSync(`${dir.path}/key.pem`, other.keyPem);
    await assert.rejects(
      startTestHub(`${dir.path}/hub2`, {
        onboard: false,
        env: { ...env, SWEEPHUB_TLS_KEY_FILE: `${dir.path}/key.pem` },
      }),
      /does not belong/,
    );
  });
});
