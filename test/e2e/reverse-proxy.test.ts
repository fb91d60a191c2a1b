/**
 * `http.trustProxy`: behind a reverse proxy that terminates TLS, the hub takes the client's address and protocol
 * from X-Forwarded-For / X-Forwarded-Proto, but only when the request comes from a listed proxy. Without the
 * setting the same headers are ignored, so nobody can fake their address (lockouts, new-address notices and the
 * session list depend on it) or get cookies marked for HTTPS they did not use.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { OWNER } from "../support/accounts.ts";
import { startTestHub, type TestHub, tempDir } from "../support/harness.ts";

const FORWARDED = { "x-forwarded-for": "203.0.113.7", "x-forwarded-proto": "https" };

async function signInThroughProxy(hub: TestHub) {
  const res = await fetch(`${hub.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", ...FORWARDED },
    body: JSON.stringify(OWNER),
  });
  assert.equal(res.status, 200, await res.clone().text());
  const cookies = res.headers.getSetCookie();
  const sessions = (
    await hub.api<{ sessions: { ip: string; current?: boolean }[] }>("GET", "/api/me/sessions")
  ).body.sessions;
  const status = (await (await fetch(`${hub.url}/api/auth/status`, { headers: FORWARDED })).json()) as {
    https: boolean;
  };
  return { cookies, ips: sessions.map((s) => s.ip), https: status.https };
}

describe("behind a reverse proxy (http.trustProxy)", () => {
  const dir = tempDir("proxy");
  const hubs: TestHub[] = [];
  after(async () => {
    for (const hub of hubs) await hub.stop();
    dir.remove();
  });

  it("takes the client's address and HTTPS from a trusted proxy", async () => {
    const hub = await startTestHub(join(dir.path, "trusting"), {
      overrides: { http: { trustProxy: "127.0.0.1, ::1" } },
    });
    hubs.push(hub);
    const seen = await signInThroughProxy(hub);
    assert.ok(seen.ips.includes("203.0.113.7"), JSON.stringify(seen.ips));
    assert.ok(
      seen.cookies.length > 0 && seen.cookies.every((c) => /;\s*Secure/i.test(c)),
      seen.cookies.join("\n"),
    );
    assert.equal(seen.https, true);
  });

  it("ignores forwarded headers by default", async () => {
    const hub = await startTestHub(join(dir.path, "default"));
    hubs.push(hub);
    const seen = await signInThroughProxy(hub);
    assert.ok(!seen.ips.includes("203.0.113.7"), JSON.stringify(seen.ips));
    assert.ok(
      seen.cookies.length > 0 && seen.cookies.every((c) => !/;\s*Secure/i.test(c)),
      seen.cookies.join("\n"),
    );
    assert.equal(seen.https, false);
  });
});
