import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { childLogger, createLogger, REDACTED_KEYS } from "../../hub/logging.ts";

/** A destination that keeps what was written. */
function memory(): { write(line: string): void; text(): string } {
  const chunks: string[] = [];
  return { write: (line) => void chunks.push(line), text: () => chunks.join("") };
}

const SECRET = "S3CR3T-VALUE-1234";

describe("createLogger", () => {
  it("never writes a secret logged under a secret key, at any depth", () => {
    for (const pretty of [false, true]) {
      const out = memory();
      const log = createLogger({ level: "trace", pretty, destination: out });
      for (const key of REDACTED_KEYS) {
        log.info({ [key]: SECRET }, "top level");
        log.info({ pairing: { [key]: SECRET } }, "one deep");
        log.info({ robot: { session: { [key]: SECRET } } }, "two deep");
        log.info({ a: { b: { c: { [key]: SECRET } } } }, "three deep");
        log.info({ list: [{ [key]: SECRET }] }, "in an array");
      }
      log.info(
        { req: { headers: { cookie: SECRET, authorization: `Bearer ${SECRET}`, host: "hub" } } },
        "request",
      );
      childLogger(log, "pairing").warn({ setupCode: SECRET, step: 2 }, "child");
      const text = out.text();
      assert.ok(text.length > 0);
      assert.ok(!text.includes(SECRET), `pretty=${pretty}: secret leaked:\n${text}`);
      assert.ok(text.includes("[redacted]"));
      assert.ok(text.includes("hub"), "non-secret values are kept");
    }
  });

  it("writes JSON lines by default with service bindings for children, honouring the level", () => {
    const out = memory();
    const log = createLogger({ level: "info", pretty: false, destination: out });
    log.debug("hidden");
    childLogger(log, "discovery", { robotId: "r1" }).info({ code: SECRET, count: 3 }, "found");
    const lines = out
      .text()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 1);
    assert.equal(lines[0].service, "discovery");
    assert.equal(lines[0].robotId, "r1");
    assert.equal(lines[0].msg, "found");
    assert.equal(lines[0].code, "[redacted]");
    assert.equal(lines[0].count, 3);
  });

  it("writes readable text when pretty", () => {
    const out = memory();
    createLogger({ level: "info", pretty: true, destination: out }).info({ robot: "r1" }, "hello there");
    const text = out.text();
    assert.match(text, /INFO/);
    assert.match(text, /hello there/);
    assert.throws(() => JSON.parse(text));
  });
});
