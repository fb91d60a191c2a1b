import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LOG_LEVELS } from "../../../hub/config/schema.ts";
import {
  LOG_LEVEL_CHOICES,
  type LogEntry,
  sizeLabel,
  visibleLines,
} from "../../../web/src/data/system-api.ts";

const entry = (seq: number, msg: string, extra: Partial<LogEntry> = {}): LogEntry => ({
  seq,
  time: 1_700_000_000_000 + seq,
  level: "info",
  service: "robots",
  msg,
  fields: {},
  ...extra,
});

describe("system-api helpers", () => {
  it("offers exactly the hub's log levels, most severe first", () => {
    assert.deepEqual([...LOG_LEVEL_CHOICES], [...LOG_LEVELS]);
  });

  it("shows lines newest first and filters by text in message, service or details", () => {
    const lines = [
      entry(1, "robot paired", { fields: { robotId: "rosie-001" } }),
      entry(3, "backup written", { service: "backup" }),
      entry(2, "Robot ONLINE"),
    ];
    assert.deepEqual(
      visibleLines(lines, "").map((e) => e.seq),
      [3, 2, 1],
    );
    assert.deepEqual(
      visibleLines(lines, " robot ").map((e) => e.seq),
      [2, 1],
    );
    assert.deepEqual(
      visibleLines(lines, "ROSIE").map((e) => e.seq),
      [1],
    );
    assert.deepEqual(
      visibleLines(lines, '"robotId": "rosie').map((e) => e.seq),
      [1],
    );
    assert.deepEqual(
      visibleLines(lines, "backup").map((e) => e.seq),
      [3],
    );
    assert.deepEqual(visibleLines(lines, "nothing like this"), []);
    assert.deepEqual(
      lines.map((e) => e.seq),
      [1, 3, 2],
      "the input is left alone",
    );
  });

  it("writes sizes as people read them", () => {
    assert.equal(sizeLabel(0), "0 B");
    assert.equal(sizeLabel(1023), "1023 B");
    assert.equal(sizeLabel(1536), "1.5 KB");
    assert.equal(sizeLabel(13 * 1024), "13 KB");
    assert.equal(sizeLabel(5 * 1024 * 1024), "5.0 MB");
    assert.equal(sizeLabel(3 * 1024 ** 5), "3072 TB");
  });
});
