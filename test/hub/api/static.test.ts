/** The hub serves the dashboard: cache headers, deep links, and API 404s that stay JSON. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { readManifest } from "../../../web/build.ts";
import { startTestHub, type TestHub, tempDir } from "../../support/harness.ts";

describe("dashboard serving", () => {
  const dir = tempDir("static");
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub(dir.path, {
      overrides: { http: { host: "127.0.0.1", port: 0 }, discovery: { enabled: false } },
    });
  });
  after(async () => {
    await hub?.stop();
    dir.remove();
  });

  it("index.html is never cached; hashed assets are cached for a year", async () => {
    const index = await fetch(`${hub.url}/`);
    assert.equal(index.status, 200);
    assert.match(index.headers.get("content-type") ?? "", /text\/html/);
    assert.equal(index.headers.get("cache-control"), "no-cache");
    const html = await index.text();
    const script = /src="(\/assets\/app-[A-Z0-9]+\.js)"/.exec(html)?.[1];
    assert.ok(script, html);
    assert.equal(script, `/${readManifest()?.script}`);
    const asset = await fetch(`${hub.url}${script}`);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get("content-type") ?? "", /javascript/);
    assert.match(
      asset.headers.get("cache-control") ?? "",
      /max-age=31536000.*immutable|immutable.*max-age=31536000/,
    );
  });

  it("deep links get the app; unknown API paths and assets stay JSON 404s", async () => {
    for (const path of ["/robots/abc", "/robots/abc/history", "/settings/users", "/welcome"]) {
      const res = await fetch(`${hub.url}${path}`);
      assert.equal(res.status, 200, path);
      assert.match(await res.text(), /<sh-app>/, path);
    }
    for (const path of ["/api/nothing-here", "/assets/app-NOPE.js"]) {
      const res = await fetch(`${hub.url}${path}`);
      assert.equal(res.status, 404, path);
      const body = (await res.json()) as { error: { code: string } };
      assert.equal(body.error.code, "not_found");
    }
    const post = await fetch(`${hub.url}/robots/abc`, { method: "POST" });
    assert.equal(post.status, 404);
  });
});
