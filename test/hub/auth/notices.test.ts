/**
 * Notices on real SQLite: the two deduplication scopes, dismiss all and the unread count; robot notifications
 * reach exactly who can view the robot and asked for that kind (security notices ignore the switch), each in
 * their own units, and every stored notice is announced on the bus.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { GrantRepository } from "../../../hub/auth/grant-repository.ts";
import { type NoticeRecord, NoticeRepository } from "../../../hub/auth/notice-repository.ts";
import { SecurityNotices } from "../../../hub/auth/security-notices.ts";
import { DEFAULT_PREFERENCES, type UserRecord, UserRepository } from "../../../hub/auth/user-repository.ts";
import { EventBus } from "../../../hub/core/event-bus.ts";
import { type Database, openDatabase } from "../../../hub/store/database.ts";
import { RobotRepository } from "../../../hub/store/robot-repository.ts";
import { pairing, silentLogger, tempDir } from "../store/helpers.ts";

let db: Database;
let cleanup: () => void;
beforeEach(() => {
  let dir: string;
  ({ dir, cleanup } = tempDir("notices"));
  db = openDatabase(join(dir, "hub.db"), silentLogger);
});
afterEach(() => {
  db.close();
  cleanup();
});

function user(id: string, role: UserRecord["role"], change: Partial<UserRecord> = {}): UserRecord {
  return {
    id,
    username: id,
    passwordHash: "x",
    displayName: id,
    email: null,
    phone: null,
    role,
    preferences: DEFAULT_PREFERENCES,
    createdAt: 1,
    updatedAt: 1,
    passwordChangedAt: 1,
    ...change,
  };
}

const notice = (userId: string, kind: NoticeRecord["kind"] = "robot_attention") => ({
  userId,
  kind,
  message: "m",
  details: {},
  robotId: "r1",
  createdAt: 1,
});

describe("NoticeRepository", () => {
  it("open: nothing new while the same kind, robot and key is undismissed; once: never the same key twice", () => {
    new UserRepository(db).insert(user("u1", "owner"));
    const repo = new NoticeRepository(db);
    const open = { key: "bin_full", scope: "open" } as const;
    const first = repo.add(notice("u1"), open);
    assert.ok(first);
    assert.equal(repo.add(notice("u1"), open), null, "still open");
    assert.ok(repo.add(notice("u1"), { key: "stuck", scope: "open" }), "another fault is news");
    assert.equal(repo.unread("u1"), 2);
    repo.dismiss("u1", first.id, 2);
    assert.ok(repo.add(notice("u1"), open), "after dismissal the same fault may come back");

    const once = { key: "job-1", scope: "once" } as const;
    const run = repo.add(notice("u1", "cleaning_finished"), once);
    assert.ok(run);
    repo.dismiss("u1", run.id, 3);
    assert.equal(repo.add(notice("u1", "cleaning_finished"), once), null, "the same run is never told twice");
    assert.ok(repo.add(notice("u1", "cleaning_finished"), { key: "job-2", scope: "once" }));

    assert.equal(repo.dismissAll("u1", 4), 3);
    assert.equal(repo.unread("u1"), 0);
    assert.equal(repo.dismissAll("u1", 5), 0);
  });
});

describe("SecurityNotices.raiseForRobot", () => {
  it("tells the owner, admins and viewers who asked for that kind, in their units, and announces each", () => {
    const users = new UserRepository(db);
    const grants = new GrantRepository(db);
    new RobotRepository(db).upsertPaired(pairing("r1"));
    const quiet = {
      ...DEFAULT_PREFERENCES,
      notifications: { ...DEFAULT_PREFERENCES.notifications, robotErrors: false },
    };
    users.insert(user("owner", "owner"));
    users.insert(user("admin", "admin", { preferences: { ...DEFAULT_PREFERENCES, units: "imperial" } }));
    users.insert(user("viewer", "member"));
    users.insert(user("stranger", "member"));
    users.insert(user("quiet", "member", { preferences: quiet }));
    const all = { view: true, control: false, camera: false };
    grants.set("viewer", "r1", all, "owner", 1);
    grants.set("quiet", "r1", all, "owner", 1);
    const bus = new EventBus();
    const raised: NoticeRecord[] = [];
    bus.on("noticeRaised", {}, ({ notice }) => raised.push(notice));
    const repo = new NoticeRepository(db);
    const notices = new SecurityNotices({ notices: repo, users, grants, bus, log: silentLogger });

    notices.raiseForRobot(
      "r1",
      "robot_attention",
      (u) => `in ${u.preferences.units}`,
      {},
      { key: "x", scope: "open" },
    );
    assert.deepEqual(raised.map((n) => `${n.userId}: ${n.message}`).sort(), [
      "admin: in imperial",
      "owner: in metric",
      "viewer: in metric",
    ]);
    notices.raiseForRobot("r1", "robot_attention", "again", {}, { key: "x", scope: "open" });
    assert.equal(raised.length, 3, "duplicates are neither stored nor announced");

    notices.raiseForRobot("r1", "robot_identity_changed", "identity", {});
    assert.ok(
      raised.some((n) => n.userId === "quiet" && n.kind === "robot_identity_changed"),
      "security notices do not depend on the robot switches",
    );
    assert.equal(repo.unread("stranger"), 0);
  });
});
