import assert from "node:assert/strict";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { CleaningRepository } from "../../../hub/store/cleaning-repository.ts";
import { type Database, openDatabase } from "../../../hub/store/database.ts";
import { RobotRepository } from "../../../hub/store/robot-repository.ts";
import { SettingsRepository } from "../../../hub/store/settings-repository.ts";
import { pairing, silentLogger, tempDir } from "./helpers.ts";

let dir: string;
let cleanup: () => void;
let file: string;
let db: Database;
beforeEach(() => {
  ({ dir, cleanup } = tempDir("repo"));
  file = join(dir, "hub.db");
  db = openDatabase(file, silentLogger);
});
afterEach(() => {
  if (db.open) db.close();
  cleanup();
});

const finished = {
  robotId: "r1",
  jobId: "j1",
  finishedAt: 100_000,
  result: "completed",
  areaM2: 12.5,
  durationS: 60,
  rooms: [{ id: "kitchen", areaM2: 12.5 }],
};

describe("RobotRepository", () => {
  it("round-trips a paired robot", () => {
    const robots = new RobotRepository(db);
    const saved = robots.upsertPaired(pairing("r1"));
    assert.deepEqual(saved, {
      ...pairing("r1"),
      identityStatus: "ok",
      lastSeenAt: null,
      lastState: null,
      sortOrder: 0,
    });
    assert.deepEqual(robots.get("r1"), saved);
    assert.deepEqual(robots.list(), [saved]);
    assert.equal(robots.get("nope"), undefined);
  });

  it("fills optional pairing fields with their defaults", () => {
    const robots = new RobotRepository(db);
    const r = robots.upsertPaired({
      id: "bare",
      name: "Bare",
      model: "X",
      host: "10.0.0.2",
      port: 1,
      certPem: "pem",
      fingerprint: "fp",
      pairedAt: 5,
    });
    assert.equal(r.manufacturer, "");
    assert.equal(r.firmware, "");
    assert.equal(r.serial, "");
    assert.deepEqual(r.capabilities, {});
  });

  it("re-pairing replaces pairing data, resets identity and keeps order, last seen and state", () => {
    const robots = new RobotRepository(db);
    robots.upsertPaired(pairing("a"));
    robots.upsertPaired(pairing("b"));
    robots.reorder(["b", "a"]);
    robots.markIdentity("a", "changed");
    robots.touchSeen("a", 42);
    robots.saveLastState("a", { status: "docked", battery: 80 });
    const again = robots.upsertPaired(
      pairing("a", { certPem: "new-pem", fingerprint: "sha256:new", pairedAt: 7 }),
    );
    assert.equal(again.certPem, "new-pem");
    assert.equal(again.fingerprint, "sha256:new");
    assert.equal(again.pairedAt, 7);
    assert.equal(again.identityStatus, "ok");
    assert.equal(again.sortOrder, 1);
    assert.equal(again.lastSeenAt, 42);
    assert.deepEqual(again.lastState, { status: "docked", battery: 80 });
    assert.deepEqual(
      robots.list().map((r) => r.id),
      ["b", "a"],
    );
  });

  it("appends new robots at the end of the order", () => {
    const robots = new RobotRepository(db);
    robots.upsertPaired(pairing("z", { pairedAt: 1 }));
    robots.upsertPaired(pairing("a", { pairedAt: 2 }));
    robots.upsertPaired(pairing("m", { pairedAt: 3 }));
    assert.deepEqual(
      robots.list().map((r) => [r.id, r.sortOrder]),
      [
        ["z", 0],
        ["a", 1],
        ["m", 2],
      ],
    );
  });

  it("updates address, info (partially), identity, last seen and last state", () => {
    const robots = new RobotRepository(db);
    robots.upsertPaired(pairing("r1"));
    assert.equal(robots.updateAddress("r1", "192.168.1.20", 7443), true);
    assert.equal(robots.updateInfo("r1", { firmware: "2.0.0", capabilities: { basic_control: {} } }), true);
    assert.equal(robots.markIdentity("r1", "changed"), true);
    assert.equal(robots.touchSeen("r1", 1234), true);
    assert.equal(robots.saveLastState("r1", { battery: 55, nested: [1, "two"] }), true);
    const r = robots.get("r1")!;
    assert.equal(r.host, "192.168.1.20");
    assert.equal(r.port, 7443);
    assert.equal(r.firmware, "2.0.0");
    assert.equal(r.name, "Robot r1", "fields not given keep their value");
    assert.deepEqual(r.capabilities, { basic_control: {} });
    assert.equal(r.identityStatus, "changed");
    assert.equal(r.lastSeenAt, 1234);
    assert.deepEqual(r.lastState, { battery: 55, nested: [1, "two"] });
    assert.equal(robots.saveLastState("r1", null), true);
    assert.equal(robots.get("r1")!.lastState, null);
    assert.equal(robots.updateAddress("ghost", "h", 1), false);
    assert.equal(robots.touchSeen("ghost", 1), false);
  });

  it("refuses an identity status other than ok/changed", () => {
    const robots = new RobotRepository(db);
    robots.upsertPaired(pairing("r1"));
    assert.throws(() => robots.markIdentity("r1", "weird" as "ok"), /CHECK constraint/);
  });

  it("remove cascades to cleaning history", () => {
    const robots = new RobotRepository(db);
    const cleaning = new CleaningRepository(db);
    robots.upsertPaired(pairing("r1"));
    robots.upsertPaired(pairing("r2"));
    cleaning.recordStarted({ robotId: "r1", jobId: "j1", kind: "full", startedAt: 1 });
    cleaning.recordStarted({ robotId: "r2", jobId: "j1", kind: "full", startedAt: 1 });
    assert.equal(robots.remove("r1"), true);
    assert.equal(robots.remove("r1"), false);
    assert.equal(robots.get("r1"), undefined);
    assert.deepEqual(cleaning.list("r1", { limit: 10 }), []);
    assert.equal(cleaning.list("r2", { limit: 10 }).length, 1);
  });
});

describe("CleaningRepository", () => {
  it("records start then finish, idempotently", () => {
    new RobotRepository(db).upsertPaired(pairing("r1"));
    const cleaning = new CleaningRepository(db);
    const started = cleaning.recordStarted({
      robotId: "r1",
      jobId: "j1",
      kind: "rooms",
      trigger: "user",
      startedAt: 50_000,
    });
    assert.deepEqual(started, {
      robotId: "r1",
      jobId: "j1",
      kind: "rooms",
      trigger: "user",
      startedAt: 50_000,
      finishedAt: null,
      result: null,
      areaM2: null,
      durationS: null,
      rooms: [],
    });
    // A replayed start changes nothing.
    cleaning.recordStarted({ robotId: "r1", jobId: "j1", kind: "full", startedAt: 60_000 });
    assert.deepEqual(cleaning.get("r1", "j1"), started);

    const done = cleaning.recordFinished(finished);
    const again = cleaning.recordFinished(finished);
    assert.deepEqual(again, done);
    assert.deepEqual(done, {
      ...started,
      finishedAt: 100_000,
      result: "completed",
      areaM2: 12.5,
      durationS: 60,
      rooms: [{ id: "kitchen", areaM2: 12.5 }],
    });
    assert.equal(cleaning.list("r1", { limit: 10 }).length, 1);
  });

  it("creates the row when the start was missed", () => {
    new RobotRepository(db).upsertPaired(pairing("r1"));
    const cleaning = new CleaningRepository(db);
    const s = cleaning.recordFinished({ ...finished, kind: "full" });
    assert.equal(s.kind, "full");
    assert.equal(s.trigger, "robot");
    assert.equal(s.startedAt, 40_000);
    assert.equal(s.finishedAt, 100_000);
  });

  it("lists newest first with a limit and pages with before", () => {
    new RobotRepository(db).upsertPaired(pairing("r1"));
    const cleaning = new CleaningRepository(db);
    for (let i = 1; i <= 5; i++)
      cleaning.recordStarted({ robotId: "r1", jobId: `j${i}`, kind: "full", startedAt: i * 1000 });
    const page1 = cleaning.list("r1", { limit: 2 });
    assert.deepEqual(
      page1.map((s) => s.jobId),
      ["j5", "j4"],
    );
    const page2 = cleaning.list("r1", { limit: 2, before: page1.at(-1)!.startedAt });
    assert.deepEqual(
      page2.map((s) => s.jobId),
      ["j3", "j2"],
    );
    assert.deepEqual(cleaning.list("other", { limit: 5 }), []);
  });

  it("deletes sessions older than a cutoff by their end (or start if unfinished)", () => {
    new RobotRepository(db).upsertPaired(pairing("r1"));
    const cleaning = new CleaningRepository(db);
    cleaning.recordStarted({ robotId: "r1", jobId: "old", kind: "full", startedAt: 1_000 });
    cleaning.recordFinished({ ...finished, jobId: "old", finishedAt: 2_000, durationS: 1 });
    cleaning.recordStarted({ robotId: "r1", jobId: "long", kind: "full", startedAt: 1_000 });
    cleaning.recordFinished({ ...finished, jobId: "long", finishedAt: 9_000, durationS: 8 });
    cleaning.recordStarted({ robotId: "r1", jobId: "stale", kind: "full", startedAt: 3_000 });
    cleaning.recordStarted({ robotId: "r1", jobId: "new", kind: "full", startedAt: 10_000 });
    assert.equal(cleaning.deleteOlderThan(5_000), 2);
    assert.deepEqual(
      cleaning
        .list("r1", { limit: 10 })
        .map((s) => s.jobId)
        .sort(),
      ["long", "new"],
    );
    assert.equal(cleaning.deleteOlderThan(5_000), 0);
  });

  it("refuses history for a robot that is not paired", () => {
    const cleaning = new CleaningRepository(db);
    assert.throws(
      () => cleaning.recordStarted({ robotId: "ghost", jobId: "j", kind: "full", startedAt: 1 }),
      /FOREIGN KEY/,
    );
  });
});

describe("SettingsRepository", () => {
  it("gets, sets, overwrites and deletes", () => {
    const settings = new SettingsRepository(db);
    assert.equal(settings.get("k"), undefined);
    settings.set("k", "v1");
    settings.set("k", "v2");
    assert.equal(settings.get("k"), "v2");
    settings.setJson("j", { a: [1, 2] });
    assert.deepEqual(settings.getJson("j"), { a: [1, 2] });
    assert.equal(settings.delete("k"), true);
    assert.equal(settings.get("k"), undefined);
  });
});

describe("restart", () => {
  it("keeps robots, history and settings after closing and reopening", () => {
    new RobotRepository(db).upsertPaired(pairing("r1"));
    new RobotRepository(db).saveLastState("r1", { battery: 10 });
    new CleaningRepository(db).recordFinished({ ...finished, kind: "full" });
    new SettingsRepository(db).set("theme", "dark");
    db.close();

    db = openDatabase(file, silentLogger);
    assert.deepEqual(new RobotRepository(db).get("r1")!.lastState, { battery: 10 });
    assert.equal(new CleaningRepository(db).list("r1", { limit: 5 })[0].result, "completed");
    assert.equal(new SettingsRepository(db).get("theme"), "dark");
  });
});
