/**
 * Backup, restore and reset-password as a user runs them (the real CLI in its own process): a backup restores
 * to the same data and restore refuses a folder that is not empty or a file that is not an archive; a reset
 * password follows the password policy, ends the user's sessions and is audited.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import SqliteDatabase from "better-sqlite3";
import pino from "pino";
import { databaseChecksums } from "../../hub/ops/db-checksums.ts";
import { openDatabase } from "../../hub/store/database.ts";
import { OWNER, signIn } from "../support/accounts.ts";
import { runCli } from "../support/cli.ts";
import { startTestHub, tempDir } from "../support/harness.ts";
import { seedDatabase } from "../support/seed-database.ts";

const silent = pino({ level: "silent" });

describe("sweephub backup, restore and reset-password", () => {
  const dir = tempDir("cli-backup");
  after(() => dir.remove());

  it("backup and restore round-trip; restore refuses a folder that is not empty", async () => {
    const data = join(dir.path, "source");
    const db = openDatabase(join(data, "sweephub.db"), silent);
    seedDatabase(db);
    const expected = databaseChecksums(db);
    db.close();
    mkdirSync(join(data, "keys"), { mode: 0o700 });
    writeFileSync(join(data, "keys", "hub.key.pem"), "not a real key", { mode: 0o600 });
    writeFileSync(join(data, "config.yaml"), "hub:\n  name: restored-hub\n");
    mkdirSync(join(data, "simulator"));
    writeFileSync(join(data, "simulator", "robot.json"), "{}");

    const archive = join(dir.path, "hub-backup.tar.gz");
    const made = await runCli(["backup", "--out", archive], { SWEEPHUB_DATA: data });
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stdout, /Backup written to .*hub-backup\.tar\.gz/);

    const refused = await runCli(["restore", archive], { SWEEPHUB_DATA: data });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /is not empty/);

    const target = join(dir.path, "target");
    const restored = await runCli(["restore", archive], { SWEEPHUB_DATA: target });
    assert.equal(restored.code, 0, restored.stderr);
    const copy = new SqliteDatabase(join(target, "sweephub.db"), { readonly: true });
    assert.deepEqual(databaseChecksums(copy), expected);
    copy.close();
    assert.equal(readFileSync(join(target, "keys", "hub.key.pem"), "utf8"), "not a real key");
    assert.equal(statSync(join(target, "keys", "hub.key.pem")).mode & 0o777, 0o600);
    assert.equal(readFileSync(join(target, "config.yaml"), "utf8"), "hub:\n  name: restored-hub\n");
    assert.equal(existsSync(join(target, "simulator")), false, "simulated robots are not part of the hub");

    const junk = join(dir.path, "junk.tar.gz");
    writeFileSync(junk, "definitely not gzip");
    const broken = await runCli(["restore", junk], { SWEEPHUB_DATA: join(dir.path, "target2") });
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /could not be read as a backup archive/);
  });

  it("reset-password sets a new password that follows the policy and ends the user's sessions", async () => {
    const data = join(dir.path, "accounts");
    const hub = await startTestHub(data);
    await hub.stop();
    const env = { SWEEPHUB_DATA: data };
    const weak = await runCli(["reset-password", OWNER.username], env, "short\n");
    assert.equal(weak.code, 1);
    assert.match(weak.stderr, /sweephub: .*password/i);
    const unknown = await runCli(["reset-password", "nobody"], env, "a perfectly fine passphrase 42\n");
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /No user is named "nobody"; users: owner/);
    const newPassword = "a perfectly fine passphrase 42";
    const ok = await runCli(["reset-password", OWNER.username], env, `${newPassword}\n`);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /New password set for owner \(owner\)/);
    // The test hub gave the owner an API token: a plain reset keeps it (and says so).
    assert.match(ok.stdout, /1 API token still works .*--revoke-tokens/);
    assert.doesNotMatch(ok.stdout + ok.stderr, new RegExp(newPassword));
    const db = new SqliteDatabase(join(data, "sweephub.db"), { readonly: true });
    assert.equal((db.prepare("SELECT count(*) AS n FROM auth_sessions").get() as { n: number }).n, 0);
    const audit = db
      .prepare("SELECT action, actor_name FROM audit_log WHERE action = 'user.password_reset'")
      .all();
    assert.deepEqual(audit, [{ action: "user.password_reset", actor_name: "hub" }]);
    db.close();

    const again = await startTestHub(data, { onboard: false });
    try {
      await assert.rejects(signIn(again.url, OWNER.username, OWNER.password), /sign-in failed: 401/);
      await signIn(again.url, OWNER.username, newPassword);
    } finally {
      await again.stop();
    }
    const tokens = () => {
      const check = new SqliteDatabase(join(data, "sweephub.db"), { readonly: true });
      const n = (check.prepare("SELECT count(*) AS n FROM api_tokens").get() as { n: number }).n;
      check.close();
      return n;
    };
    assert.equal(tokens(), 1);
    const revoking = await runCli(
      ["reset-password", "--revoke-tokens", OWNER.username],
      env,
      `${newPassword} 2\n`,
    );
    assert.equal(revoking.code, 0, revoking.stderr);
    assert.match(revoking.stdout, /1 API token was revoked/);
    assert.equal(tokens(), 0);
  });
});
