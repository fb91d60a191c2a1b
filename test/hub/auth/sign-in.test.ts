/**
 * Sign-in risk control and invitations with injected clocks (real SQLite, real argon2id): lockout after
 * repeated failures and unlock after the window; the address lock spans accounts; invitation expiry.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { AuditLog } from "../../../hub/audit/audit-log.ts";
import { AuditRepository } from "../../../hub/audit/audit-repository.ts";
import { AccountsService } from "../../../hub/auth/accounts-service.ts";
import { CredentialRepository } from "../../../hub/auth/credential-repository.ts";
import { GrantRepository } from "../../../hub/auth/grant-repository.ts";
import { InvitationRepository } from "../../../hub/auth/invitation-repository.ts";
import { InvitationService } from "../../../hub/auth/invitation-service.ts";
import { NoticeRepository } from "../../../hub/auth/notice-repository.ts";
import { RiskGuard } from "../../../hub/auth/risk-guard.ts";
import { SecurityNotices } from "../../../hub/auth/security-notices.ts";
import { SignInService } from "../../../hub/auth/sign-in-service.ts";
import { UserRepository } from "../../../hub/auth/user-repository.ts";
import type { HubError } from "../../../hub/core/errors.ts";
import { EventBus } from "../../../hub/core/event-bus.ts";
import { type Database, openDatabase } from "../../../hub/store/database.ts";
import { silentLogger, tempDir } from "../store/helpers.ts";

const PASSWORD = "a long enough test password";

function build(db: Database, clock: { mono: number; wall: number }) {
  const bus = new EventBus();
  const users = new UserRepository(db);
  const grants = new GrantRepository(db);
  const credentials = new CredentialRepository(db);
  const notices = new NoticeRepository(db);
  const now = () => clock.wall;
  const audit = new AuditLog({ repo: new AuditRepository(db), log: silentLogger, retentionDays: 365, now });
  const policy = { freeAttempts: 5, lockoutMs: 30_000, maxLockoutMs: 3_600_000, now: () => clock.mono };
  const accounts = new AccountsService({ users, grants, credentials, audit, bus, log: silentLogger, now });
  const signIn = new SignInService({
    users,
    credentials,
    guard: new RiskGuard(policy, "sign-in"),
    notices: new SecurityNotices({ notices, users, grants, bus, log: silentLogger, now }),
    audit,
    bus,
    log: silentLogger,
    sessionDays: 30,
    now,
  });
  const invitations = new InvitationService({
    invitations: new InvitationRepository(db),
    grants,
    accounts,
    guard: new RiskGuard(policy, "invitation code"),
    audit,
    defaultHours: 72,
    robotExists: () => true,
    now,
  });
  return { accounts, signIn, invitations, notices, audit, users };
}

const client = (ip: string) => ({ ip, userAgent: "test" });
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as HubError).code;
  }
  return "ok";
};
async function codeOfAsync(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (err) {
    return (err as HubError).code;
  }
}

describe("sign-in risk control", () => {
  let dir: string;
  let cleanup: () => void;
  let db: Database;
  const clock = { mono: 1_000, wall: 1_700_000_000_000 };
  beforeEach(() => {
    ({ dir, cleanup } = tempDir("signin"));
    db = openDatabase(join(dir, "hub.db"), silentLogger);
  });
  afterEach(() => {
    db.close();
    cleanup();
  });

  it("stores argon2id hashes, never the password", async () => {
    const s = build(db, clock);
    await s.accounts.onboard({ username: "olivia", password: PASSWORD }, client("127.0.0.1"));
    const row = db.prepare("SELECT password_hash FROM users WHERE username = 'olivia'").get() as {
      password_hash: string;
    };
    assert.match(row.password_hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.ok(!row.password_hash.includes(PASSWORD));
    const dump =
      JSON.stringify(db.prepare("SELECT * FROM users").all()) +
      JSON.stringify(db.prepare("SELECT * FROM audit_log").all());
    assert.ok(!dump.includes(PASSWORD), "password nowhere in the database");
    assert.equal(
      await codeOfAsync(s.accounts.onboard({ username: "mallory", password: PASSWORD }, client("127.0.0.1"))),
      "already_onboarded",
    );
  });

  it("enforces the password policy", async () => {
    const s = build(db, clock);
    for (const bad of ["short", "password123", "aaaaaaaaaaaa", "my olivia password"]) {
      const code = await codeOfAsync(
        s.accounts.onboard({ username: "olivia", password: bad }, client("127.0.0.1")),
      );
      assert.equal(code, "weak_password", bad);
    }
  });

  it("locks an account after 5 failures, even with the right password, and unlocks after the window", async () => {
    const s = build(db, clock);
    await s.accounts.onboard({ username: "olivia", password: PASSWORD }, client("127.0.0.1"));
    for (let i = 0; i < 5; i++) {
      // Different addresses: the account lock must hold regardless of where the guesses come from.
      assert.equal(
        await codeOfAsync(s.signIn.login("olivia", "wrong password!", client(`10.0.0.${i}`))),
        "invalid_credentials",
      );
    }
    assert.equal(
      await codeOfAsync(s.signIn.login("Olivia", PASSWORD, client("10.0.0.99"))),
      "too_many_attempts",
    );
    const user = s.users.byUsername("olivia")!;
    assert.ok(
      s.notices.list(user.id).some((n) => n.kind === "repeated_failures"),
      "the owner is told",
    );
    clock.mono += 29_000;
    assert.equal(
      await codeOfAsync(s.signIn.login("olivia", PASSWORD, client("10.0.0.99"))),
      "too_many_attempts",
    );
    clock.mono += 1_001;
    assert.equal(await codeOfAsync(s.signIn.login("olivia", PASSWORD, client("10.0.0.99"))), "ok");
    const failures = s.audit.repo.query({ action: "auth.login", outcome: "failed", limit: 100 });
    assert.equal(failures.length, 5);
    assert.equal(failures[0]!.subjectUserId, user.id);
    assert.equal(failures[0]!.ip, "10.0.0.4");
  });

  it("locks an address that guesses across accounts, and says how long to wait", async () => {
    const s = build(db, clock);
    await s.accounts.onboard({ username: "olivia", password: PASSWORD }, client("127.0.0.1"));
    for (let i = 0; i < 5; i++)
      await codeOfAsync(s.signIn.login(`nobody${i}`, "whatever it is", client("10.9.9.9")));
    try {
      await s.signIn.login("olivia", PASSWORD, client("10.9.9.9"));
      assert.fail("should be locked");
    } catch (err) {
      assert.equal((err as HubError).code, "too_many_attempts");
      assert.equal((err as HubError).details?.retryAfterS, 30);
    }
    assert.equal(await codeOfAsync(s.signIn.login("olivia", PASSWORD, client("10.9.9.10"))), "ok");
  });

  it("sessions slide: each use (at most once a minute) extends them; unused for sessionDays, they end", async () => {
    const s = build(db, clock);
    await s.accounts.onboard({ username: "olivia", password: PASSWORD }, client("127.0.0.1"));
    const { secret, session } = await s.signIn.login("olivia", PASSWORD, client("127.0.0.1"));
    const day = 86_400_000;
    assert.equal(session.expiresAt, clock.wall + 30 * day);
    assert.equal(s.signIn.authenticateSession(secret, client("127.0.0.1"))?.renewed, false);
    clock.wall += 20 * day;
    const used = s.signIn.authenticateSession(secret, client("127.0.0.1"));
    assert.equal(used?.renewed, true);
    assert.equal(used?.session.expiresAt, clock.wall + 30 * day);
    clock.wall += 30 * day - 1;
    assert.ok(s.signIn.authenticateSession(secret, client("127.0.0.1")), "still valid just before");
    clock.wall += 30 * day;
    assert.equal(s.signIn.authenticateSession(secret, client("127.0.0.1")), null);
    assert.equal(s.signIn.authenticateSession("shs_not-a-session", client("127.0.0.1")), null);
  });

  it("notices a sign-in from a new address, not from a known one", async () => {
    const s = build(db, clock);
    await s.accounts.onboard({ username: "olivia", password: PASSWORD }, client("127.0.0.1"));
    const owner = s.users.byUsername("olivia")!;
    s.signIn.startSession(owner, client("127.0.0.1"));
    await s.signIn.login("olivia", PASSWORD, client("127.0.0.1"));
    assert.equal(s.notices.list(owner.id).length, 0);
    await s.signIn.login("olivia", PASSWORD, client("192.168.1.50"));
    const notices = s.notices.list(owner.id);
    assert.equal(notices.length, 1);
    assert.equal(notices[0]!.kind, "new_ip_login");
    assert.match(notices[0]!.message, /192\.168\.1\.50/);
  });
});

describe("audit retention", () => {
  it("deletes entries older than audit.retentionDays and keeps the rest", () => {
    const { dir, cleanup } = tempDir("audit");
    const db = openDatabase(join(dir, "hub.db"), silentLogger);
    try {
      let now = 1_700_000_000_000;
      const day = 86_400_000;
      const audit = new AuditLog({
        repo: new AuditRepository(db),
        log: silentLogger,
        retentionDays: 365,
        now: () => now,
      });
      audit.record({ action: "auth.login", actor: null, anonymousName: "old" });
      now += 300 * day;
      audit.record({ action: "auth.login", actor: null, anonymousName: "recent" });
      now += 65 * day + 1;
      assert.equal(audit.sweep(), 1);
      assert.deepEqual(
        audit.repo.query({ limit: 10 }).map((e) => e.actorName),
        ["recent"],
      );
    } finally {
      db.close();
      cleanup();
    }
  });
});

describe("invitations", () => {
  let dir: string;
  let cleanup: () => void;
  let db: Database;
  const clock = { mono: 1_000, wall: 1_700_000_000_000 };
  beforeEach(() => {
    ({ dir, cleanup } = tempDir("invite"));
    db = openDatabase(join(dir, "hub.db"), silentLogger);
  });
  afterEach(() => {
    db.close();
    cleanup();
  });

  it("work until they expire, once, and only with the right code", async () => {
    const s = build(db, clock);
    const owner = await s.accounts.onboard({ username: "olivia", password: PASSWORD }, client("127.0.0.1"));
    const actor = {
      type: "user" as const,
      userId: owner.id,
      username: owner.username,
      role: owner.role,
      via: "session" as const,
      credentialId: "s",
      scopes: null,
      ip: "127.0.0.1",
      userAgent: "t",
    };
    const { code } = s.invitations.create(actor, { role: "member", grants: [], expiresInHours: 1 });
    assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    assert.equal(s.invitations.lookup(code.toLowerCase().replaceAll("-", " "), "10.0.0.1").role, "member");
    clock.wall += 3_600_000;
    assert.equal(
      codeOf(() => s.invitations.lookup(code, "10.0.0.1")),
      "invitation_invalid",
    );
    assert.equal(
      await codeOfAsync(
        s.invitations.accept(code, { username: "late", password: PASSWORD }, client("10.0.0.1")),
      ),
      "invitation_invalid",
    );
    assert.equal(s.users.byUsername("late"), undefined);
    assert.equal(s.invitations.list()[0]!.status, "expired");

    const second = s.invitations.create(actor, { role: "member", grants: [] });
    await s.invitations.accept(second.code, { username: "mia", password: PASSWORD }, client("10.0.0.2"));
    assert.equal(s.users.byUsername("mia")?.role, "member");
    assert.equal(
      await codeOfAsync(
        s.invitations.accept(second.code, { username: "again", password: PASSWORD }, client("10.0.0.2")),
      ),
      "invitation_invalid",
    );
    assert.equal(
      codeOf(() => s.invitations.lookup("0000-0000-0000", "10.0.0.3")),
      "invitation_invalid",
    );
  });
});
