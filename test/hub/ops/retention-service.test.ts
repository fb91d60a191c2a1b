import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HubMetrics } from "../../../hub/ops/metrics.ts";
import { RetentionService } from "../../../hub/ops/retention-service.ts";
import { CleaningRepository } from "../../../hub/store/cleaning-repository.ts";
import { openDatabase } from "../../../hub/store/database.ts";
import { RobotRepository } from "../../../hub/store/robot-repository.ts";
import { memoryLogger } from "../../support/harness.ts";
import { pairing, silentLogger } from "../store/helpers.ts";

const DAY = 86_400_000;

describe("RetentionService", () => {
  it("deletes history older than retention.days, counts it, and survives a failing target", async () => {
    const db = openDatabase(":memory:", silentLogger);
    new RobotRepository(db).upsertPaired(pairing("r1"));
    const cleaning = new CleaningRepository(db);
    const now = Date.UTC(2026, 5, 1);
    for (const [job, ageDays] of [
      ["old", 20],
      ["edge", 14.5],
      ["new", 3],
    ] as const) {
      cleaning.recordStarted({ robotId: "r1", jobId: job, kind: "full", startedAt: now - ageDays * DAY });
    }
    const metrics = new HubMetrics("test");
    const { log, lines } = memoryLogger("info");
    const service = new RetentionService({
      log,
      days: 14,
      now: () => now,
      metrics,
      targets: [
        {
          kind: "broken",
          deleteOlderThan: () => {
            throw new Error("disk on fire");
          },
        },
        { kind: "cleaning_sessions", deleteOlderThan: (c) => cleaning.deleteOlderThan(c) },
      ],
    });
    assert.deepEqual(service.runOnce(), { cleaning_sessions: 2 });
    assert.deepEqual(
      cleaning.list("r1", { limit: 10 }).map((s) => s.jobId),
      ["new"],
    );
    assert.match(await metrics.text(), /sweephub_retention_deleted_total\{kind="cleaning_sessions"\} 2/);
    assert.ok(
      lines.some(
        (l) => l.includes("retention could not delete old history") && l.includes('"kind":"broken"'),
      ),
    );
    assert.deepEqual(service.runOnce(), { cleaning_sessions: 0 });
    db.close();
  });
});
