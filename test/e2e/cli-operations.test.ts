/**
 * The operations commands as a user runs them (the real CLI in its own process): a database from a newer
 * sweephub is refused untouched, `doctor` finds a data folder the hub cannot write (even as root), and SIGTERM
 * while the hub is writing exits cleanly with every acknowledged write on disk (backup, restore and
 * reset-password: cli-backup.test.ts).
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createSocket } from "node:dgram";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import SqliteDatabase from "better-sqlite3";
import pino from "pino";
import { openDatabase } from "../../hub/store/database.ts";
import { MIGRATIONS } from "../../hub/store/migrations/index.ts";
import { onboardOwner, tokenClientFor } from "../support/accounts.ts";
import { BIN, freePort, runCli } from "../support/cli.ts";
import { startFleet, TEST_CODES, tempDir, waitFor } from "../support/harness.ts";

const silent = pino({ level: "silent" });

describe("sweephub operations CLI", () => {
  const dir = tempDir("cli-ops");
  after(() => dir.remove());

  it("refuses to start on a database from a newer sweephub and leaves it byte-identical", async () => {
    const data = join(dir.path, "newer");
    const future = {
      version: MIGRATIONS.length + 1,
      name: "future",
      up: (db: SqliteDatabase.Database) => db.exec("CREATE TABLE future (x)"),
    };
    const db = openDatabase(join(data, "sweephub.db"), silent, { migrations: [...MIGRATIONS, future] });
    db.pragma("journal_mode = DELETE");
    db.close();
    const before = readFileSync(join(data, "sweephub.db"));
    const res = await runCli(["start"], {
      SWEEPHUB_DATA: data,
      SWEEPHUB_HTTP_PORT: String(await freePort()),
    });
    assert.equal(res.code, 1, res.stderr);
    assert.match(res.stderr, /written by a newer sweephub/);
    assert.match(res.stderr, /The database was not changed/);
    assert.doesNotMatch(res.stderr, /\n\s+at /, "a clear message, not a stack trace");
    assert.deepEqual(readFileSync(join(data, "sweephub.db")), before);
    assert.equal(existsSync(join(data, "backups")), false);
  });

  it("doctor passes on a fresh folder and fails on one that cannot be written", async () => {
    const port = String(await freePort());
    const ok = await runCli(["doctor"], { SWEEPHUB_DATA: join(dir.path, "fresh"), SWEEPHUB_HTTP_PORT: port });
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /\[ok {2}\] Data folder: .* is writable/);
    assert.match(ok.stdout, /\[ok {2}\] HTTP port/);

    // Something else on the Matter port (another Matter bridge) is worth a warning, not a failure.
    const udp = createSocket("udp4");
    await new Promise<void>((resolve) => udp.bind(0, "0.0.0.0", resolve));
    const busy = await runCli(["doctor"], {
      SWEEPHUB_DATA: join(dir.path, "fresh"),
      SWEEPHUB_HTTP_PORT: port,
      SWEEPHUB_MATTER_BASE_PORT: String(udp.address().port),
    });
    udp.close();
    assert.equal(busy.code, 0, busy.stdout);
    assert.match(busy.stdout, /\[WARN\] Matter port: UDP \d+ is in use/);

    // A file where the folder should be stops root as well as anyone.
    const file = join(dir.path, "not-a-folder");
    writeFileSync(file, "x");
    const bad = await runCli(["doctor"], { SWEEPHUB_DATA: file, SWEEPHUB_HTTP_PORT: port });
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /\[FAIL\] Data folder: .* is not writable/);
    assert.match(bad.stdout, /fix: .* is a file, not a folder/);
  });

  it("doctor reports a read-only mounted data folder", async (t) => {
    const data = join(dir.path, "readonly");
    mkdirSync(data, { recursive: true });
    // A read-only bind mount in a private mount namespace: root cannot write through it either.
    const probe = spawnSync("unshare", ["--mount", "--propagation", "private", "true"], { stdio: "ignore" });
    if (probe.status !== 0) return t.skip("no mount namespaces here (unshare --mount failed)");
    const script = `mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && exec "$2" "$3" doctor`;
    const res = spawnSync(
      "unshare",
      ["--mount", "--propagation", "private", "sh", "-c", script, "sh", data, process.execPath, BIN],
      {
        env: { ...process.env, SWEEPHUB_DATA: data, SWEEPHUB_HTTP_PORT: String(await freePort()) },
        encoding: "utf8",
      },
    );
    assert.equal(res.status, 1, res.stdout + res.stderr);
    assert.match(res.stdout, /\[FAIL\] Data folder: .* is not writable \(EROFS\)/);
    assert.match(res.stdout, /read-only file system/);
  });

  it("SIGTERM while pairing and cleaning: exits 0 and every acknowledged write is on disk", async () => {
    const fleet = await startFleet({
      dir: dir.path,
      count: 5,
      idPrefix: "termbot",
      timeScale: 50,
      advertise: false,
    });
    const data = join(dir.path, "sigterm");
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, "start"], {
      env: {
        ...process.env,
        SWEEPHUB_DATA: data,
        SWEEPHUB_HTTP_PORT: String(port),
        SWEEPHUB_DISCOVERY_ENABLED: "false",
        SWEEPHUB_BACKUP_SCHEDULE: "off",
        SWEEPHUB_MATTER_ENABLED: process.env.TEST_MATTER ?? "false",
      },
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      out += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const url = `http://127.0.0.1:${port}`;
      await waitFor("the hub", () => fetch(`${url}/api/health`).then((r) => r.ok), 30_000).catch((err) => {
        throw new Error(`${(err as Error).message}\n${out}`);
      });
      const auth = (await tokenClientFor(url, await onboardOwner(url))).headers;
      const headers = { ...auth, "content-type": "application/json" };
      const pair = (i: number) =>
        fetch(`${url}/api/robots/pair`, {
          method: "POST",
          headers,
          body: JSON.stringify({ host: "127.0.0.1", port: fleet.robots[i].port, code: TEST_CODES[i] }),
        }).then(
          async (r) => ({ i, status: r.status, body: (await r.json()) as { id?: string } }),
          () => ({ i, status: 0, body: {} as { id?: string } }),
        );
      const first = await pair(0);
      assert.equal(first.status, 201);
      await waitFor("the robot online", async () => {
        const res = await fetch(`${url}/api/robots/${first.body.id}`, { headers: auth });
        return ((await res.json()) as { connection: string }).connection === "online";
      });
      const started = await fetch(`${url}/api/robots/${first.body.id}/commands/start`, {
        method: "POST",
        headers,
        body: "{}",
      });
      assert.equal(started.status, 200);
      // The robot is cleaning and its session is recorded: state writes keep coming while the hub stops.
      await waitFor("the cleaning session in the history", async () => {
        const res = await fetch(`${url}/api/robots/${first.body.id}/history`, { headers: auth });
        return ((await res.json()) as { sessions: unknown[] }).sessions.length > 0;
      });
      const inFlight = [1, 2, 3, 4].map(pair);
      await Promise.race(inFlight);
      child.kill("SIGTERM");
      const results = [first, ...(await Promise.all(inFlight))];
      assert.equal(await exited, 0, out);
      assert.match(out, /"msg":"stopped"/);

      const acknowledged = results.filter((r) => r.status === 201).map((r) => r.body.id as string);
      assert.ok(acknowledged.length >= 2, "some pairings were acknowledged before the signal");
      assert.equal(existsSync(join(data, "sweephub.db-wal")), false, "the database was closed cleanly");
      const db = new SqliteDatabase(join(data, "sweephub.db"), { readonly: true });
      assert.equal(db.pragma("integrity_check", { simple: true }), "ok");
      const stored = (db.prepare("SELECT id FROM robots").all() as { id: string }[]).map((r) => r.id);
      for (const id of acknowledged)
        assert.ok(stored.includes(id), `acknowledged pairing of ${id} is stored`);
      assert.ok((db.prepare("SELECT count(*) AS n FROM cleaning_sessions").get() as { n: number }).n >= 1);
      db.close();
    } finally {
      child.kill("SIGKILL");
      await fleet.stop();
    }
  });
});
