import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { buildWeb, ensureWebBundle, hasBundle, readManifest, staleReason } from "../../web/build.ts";
import { tempDir } from "../support/harness.ts";

describe("dashboard build", () => {
  const dir = tempDir("webbuild");
  after(() => dir.remove());

  it("builds hashed assets and an index.html naming them, without inline scripts", async () => {
    const manifest = await buildWeb({ distDir: dir.path });
    assert.match(manifest.script, /^assets\/app-[A-Z0-9]+\.js$/);
    assert.match(manifest.style, /^assets\/style-[A-Z0-9]+\.css$/);
    const html = readFileSync(join(dir.path, "index.html"), "utf8");
    assert.ok(html.includes(`src="/${manifest.script}"`));
    assert.ok(html.includes(`href="/${manifest.style}"`));
    assert.doesNotMatch(html, /<script>(?!<\/script>)/, "no inline script (CSP)");
    assert.doesNotMatch(html, /https?:\/\//, "nothing fetched from outside the hub");
    assert.ok(manifest.inputs.includes("web/src/main.ts"));
    assert.ok(manifest.inputs.every((p) => !p.startsWith("node_modules/")));
    assert.equal(staleReason(dir.path), null);
  });

  it("rebuilds when a source is newer than the bundle, or a file is missing", async () => {
    const manifest = readManifest(dir.path)!;
    writeFileSync(join(dir.path, "manifest.json"), JSON.stringify({ ...manifest, builtAt: 0 }));
    assert.match(staleReason(dir.path) ?? "", /changed/);
    const result = await ensureWebBundle(dir.path);
    assert.equal(result.built, true);
    assert.equal((await ensureWebBundle(dir.path)).built, false);
    assert.equal(hasBundle(dir.path), true);
    writeFileSync(join(dir.path, "manifest.json"), "{ not json");
    assert.equal(staleReason(dir.path), "no bundle yet");
    assert.equal(hasBundle(dir.path), false);
  });
});
