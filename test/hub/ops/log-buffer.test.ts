import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLogger } from "../../../hub/logging.ts";
import { LogBuffer } from "../../../hub/ops/log-buffer.ts";

describe("LogBuffer", () => {
  it("keeps the newest lines, filters by level, service and sequence, and sees only redacted lines", () => {
    const buffer = new LogBuffer(5);
    const sink = { write: () => {} };
    const log = createLogger({ level: "debug", pretty: false, destination: sink, tee: buffer });
    log.child({ service: "robots" }).debug({ robotId: "r1" }, "one");
    log.info({ setupCode: "12345678" }, "two");
    for (let i = 3; i <= 7; i++) log.child({ service: "http" }).warn(`line ${i}`);
    assert.equal(buffer.lastSeq, 7);
    assert.deepEqual(
      buffer.query({ limit: 100 }).map((e) => e.msg),
      ["line 3", "line 4", "line 5", "line 6", "line 7"],
    );
    assert.deepEqual(
      buffer.query({ limit: 2 }).map((e) => e.seq),
      [6, 7],
    );
    assert.deepEqual(
      buffer.query({ limit: 100, after: 5 }).map((e) => e.seq),
      [6, 7],
    );
    assert.equal(buffer.query({ limit: 100, level: "error" }).length, 0);
    assert.equal(buffer.query({ limit: 100, service: "robots" }).length, 0);

    const fresh = new LogBuffer(10);
    const log2 = createLogger({ level: "info", pretty: false, destination: sink, tee: fresh });
    log2.info({ setupCode: "12345678", robotId: "r1" }, "paired");
    const [entry] = fresh.query({ limit: 1 });
    assert.equal(entry.level, "info");
    assert.equal(entry.fields.setupCode, "[redacted]");
    assert.equal(entry.fields.robotId, "r1");
    log2.level = "warn";
    log2.child({ service: "x" }).info("hidden after the level changed");
    assert.equal(fresh.lastSeq, 1);
  });

  it("cuts very long lines", () => {
    const buffer = new LogBuffer(2);
    buffer.write(`{"level":30,"msg":"${"a".repeat(40_000)}"}\n`);
    assert.ok((buffer.query({ limit: 1 })[0].msg.length ?? 0) < 20_000);
  });
});
