/**
 * Operations end to end with the real hub and simulator: readiness, metrics that match what the API says,
 * the metrics token, runtime log level and the log viewer, and a backup taken while a robot cleans that restores
 * into a hub which reconnects to the same robot (same keys, so the robot's pinned certificate still matches).
 */
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import SqliteDatabase from "better-sqlite3";
import WebSocket from "ws";
import type { RobotView } from "../../hub/core/robot-view.ts";
import { createLogger } from "../../hub/logging.ts";
import { type RunningHub, startHub } from "../../hub/main.ts";
import { readBackupManifest, restoreBackup } from "../../hub/ops/backup-archive.ts";
import { databaseChecksums } from "../../hub/ops/db-checksums.ts";
import { LogBuffer } from "../../hub/ops/log-buffer.ts";
import type { SimulatorFleet } from "../../integrations/sweep/simulator/fleet.ts";
import {
  FAST_HEARTBEAT,
  memoryLogger,
  startFleet,
  startTestHub,
  TEST_CODES,
  type TestHub,
  tempDir,
  waitFor,
} from "../support/harness.ts";

/** The value of one sample in Prometheus text format, e.g. metric("sweephub_robots_online"). */
function metric(text: string, name: string, labels = ""): number | undefined {
  const line = text
    .split("\n")
    .find((l) => l.startsWith(`${name}${labels ? `{${labels}` : ""}`) && !l.startsWith("#"));
  if (line === undefined) return undefined;
  return Number(line.slice(line.lastIndexOf(" ") + 1));
}

describe("operations end to end", () => {
  const dir = tempDir("ops");
  let fleet: SimulatorFleet;
  let hub: TestHub;
  const logs = new LogBuffer(500);
  const robotId = "opsbot-001";

  before(async () => {
    fleet = await startFleet({
      dir: dir.path,
      count: 1,
      idPrefix: "opsbot",
      timeScale: 50,
      advertise: false,
    });
    const sink = new Writable({ write: (_c, _e, cb) => cb() });
    hub = await startTestHub(`${dir.path}/hub`, {
      log: createLogger({ level: "info", destination: sink, pretty: false, tee: logs }),
      logBuffer: logs,
      env: {
        SWEEPHUB_DISCOVERY_INTERFACE: "127.0.0.1",
        SWEEPHUB_METRICS_TOKEN: "scrape-secret-1",
        SWEEPHUB_BACKUP_SCHEDULE: "off",
        SWEEPHUB_MATTER_ENABLED: "false",
      },
    });
    const res = await hub.api("POST", "/api/robots/pair", {
      host: "127.0.0.1",
      port: fleet.robots[0].port,
      code: TEST_CODES[0],
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    await waitFor(
      "robot online",
      async () => (await hub.api<RobotView>("GET", `/api/robots/${robotId}`)).body.connection === "online",
    );
  });
  let restored: RunningHub | undefined;
  after(async () => {
    await restored?.stop();
    await hub?.stop();
    await fleet?.stop();
    dir.remove();
  });

  const scrape = async (token = "scrape-secret-1") => {
    const res = await fetch(`${hub.url}/api/metrics`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, text: await res.text(), type: res.headers.get("content-type") };
  };

  it("health and readiness report what they check", async () => {
    const health = await hub.api<{ status: string; version: string }>("GET", "/api/health");
    assert.equal(health.status, 200);
    assert.equal(health.body.status, "ok");
    const ready = await hub.api<{ ready: boolean; checks: Record<string, boolean> }>("GET", "/api/ready");
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body, {
      ready: true,
      checks: { database: true, migrations: true, discovery: true, matter: true },
    });
  });

  it("metrics need the token and then match the hub's state", async () => {
    const anonymous = await fetch(`${hub.url}/api/metrics`);
    assert.equal(anonymous.status, 401);
    assert.equal(((await anonymous.json()) as { error: { code: string } }).error.code, "unauthorized");
    assert.equal((await scrape("wrong")).status, 401);

    const ws = new WebSocket(`${hub.url.replace("http", "ws")}/api/ws`, { headers: hub.authHeaders() });
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    try {
      assert.equal((await hub.api("POST", `/api/robots/${robotId}/commands/locate`, {})).status, 200);
      const bad = await hub.api("POST", `/api/robots/${robotId}/commands/pause`, {});
      assert.notEqual(bad.status, 200); // pausing an idle robot is refused: counted with its error code
      const { status, text, type } = await scrape();
      assert.equal(status, 200);
      assert.match(type ?? "", /^text\/plain/);
      assert.equal(metric(text, "sweephub_robots_paired"), 1);
      assert.equal(metric(text, "sweephub_robots_online"), 1);
      assert.equal(metric(text, "sweephub_websocket_clients"), 1);
      assert.equal(
        metric(text, "sweephub_command_duration_seconds_count", 'command="locate",outcome="ok"'),
        1,
      );
      const code = (bad.body as { error: { code: string } }).error.code;
      assert.equal(
        metric(text, "sweephub_command_duration_seconds_count", `command="pause",outcome="${code}"`),
        1,
      );
      assert.ok((metric(text, "sweephub_database_bytes") ?? 0) > 4096);
      assert.equal(metric(text, "sweephub_matter_nodes"), 0);
      assert.equal(metric(text, "sweephub_mqtt_connected"), 0);
      assert.match(text, /sweephub_info\{version="[^"]+"\} 1/);
    } finally {
      ws.close();
    }
    await waitFor("events counted", async () => {
      const { text } = await scrape();
      return text
        .split("\n")
        .some((l) => l.startsWith("sweephub_robot_events_total{") && Number(l.split(" ")[1]) > 0);
    });
  });

  it("changes the log level at runtime and shows recent, redacted lines", async () => {
    assert.deepEqual((await hub.api("GET", "/api/system/log-level")).body, {
      level: "info",
      configured: "info",
    });
    const bad = await hub.api<{ error: { code: string } }>("PUT", "/api/system/log-level", { level: "loud" });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, "invalid_request");
    const debug = await hub.api("PUT", "/api/system/log-level", { level: "debug" });
    assert.equal(debug.status, 200, JSON.stringify(debug.body));
    await hub.api("POST", `/api/robots/${robotId}/commands/locate`, {});
    const res = await hub.api<{
      entries: { level: string; service: string | null; msg: string; fields: Record<string, unknown> }[];
    }>("GET", "/api/system/logs?level=debug&service=robots&limit=50");
    assert.equal(res.status, 200);
    assert.ok(
      res.body.entries.some((e) => e.level === "debug" && e.msg === "command done"),
      "debug lines appear",
    );
    assert.equal((await hub.api("PUT", "/api/system/log-level", { level: "warn" })).status, 200);
    const before = logs.lastSeq;
    await hub.api("POST", `/api/robots/${robotId}/commands/locate`, {});
    assert.equal(logs.query({ after: before, limit: 100 }).filter((e) => e.msg === "command").length, 0);
    await hub.api("PUT", "/api/system/log-level", { level: "info" });
    // Nothing secret in the viewer: the pairing request carried the setup code.
    const all = JSON.stringify((await hub.api("GET", "/api/system/logs?limit=1000")).body);
    assert.ok(!all.includes(TEST_CODES[0]), "setup code must not appear");
    assert.ok(!all.includes("scrape-secret-1"), "metrics token must not appear");
  });

  it("backs up while the robot cleans; the restore is identical and works with the same robot", async () => {
    assert.equal((await hub.api("POST", `/api/robots/${robotId}/commands/start`, {})).status, 200);
    await waitFor(
      "a cleaning session recorded",
      () => hub.db.prepare("SELECT count(*) AS n FROM cleaning_sessions").get() as { n: number },
    );
    const res = await hub.api<{ name: string; kind: string }>("POST", "/api/system/backups");
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.kind, "manual");
    const list = await hub.api<{ backups: { name: string }[] }>("GET", "/api/system/backups");
    assert.deepEqual(
      list.body.backups.map((b) => b.name),
      [res.body.name],
    );
    const download = await fetch(`${hub.url}/api/system/backups/${res.body.name}`, {
      headers: hub.authHeaders(),
    });
    assert.equal(download.status, 200);
    assert.equal(download.headers.get("content-type"), "application/gzip");
    const archive = `${dir.path}/${res.body.name}`;
    await import("node:fs/promises").then((fs) =>
      download.arrayBuffer().then((b) => fs.writeFile(archive, Buffer.from(b))),
    );
    assert.equal((await hub.api("GET", "/api/system/backups/..%2Fconfig.yaml")).status, 400);

    const manifest = await readBackupManifest(archive);
    assert.ok(manifest.database.robots.rows === 1 && manifest.database.cleaning_sessions.rows >= 1);
    assert.ok(manifest.files.includes("config.yaml") && manifest.files.some((f) => f.startsWith("keys/")));
    await hub.api("POST", `/api/robots/${robotId}/commands/stop`, {});
    await hub.stop();

    const restoredDir = `${dir.path}/restored`;
    await restoreBackup({ file: archive, dataDir: restoredDir });
    const db = new SqliteDatabase(`${restoredDir}/sweephub.db`, { readonly: true });
    assert.deepEqual(databaseChecksums(db), manifest.database);
    db.close();

    // The restored hub is the same hub: same keys (the robot accepts it) and the same accounts (the owner's
    // credentials from before the backup still work).
    const auth = hub.authHeaders();
    restored = await startHub({
      dataDir: restoredDir,
      log: memoryLogger("warn").log,
      env: {
        SWEEPHUB_DISCOVERY_ENABLED: "false",
        SWEEPHUB_BACKUP_SCHEDULE: "off",
        SWEEPHUB_MATTER_ENABLED: "false",
      },
      overrides: { http: { host: "127.0.0.1", port: 0 } },
      timings: { reconnectMinMs: 100, reconnectMaxMs: 1_000, ...FAST_HEARTBEAT },
    });
    const restoredHub = restored;
    const call = (method: string, path: string) =>
      fetch(`${restoredHub.url}${path}`, {
        method,
        headers: { ...auth, ...(method === "POST" ? { "content-type": "application/json" } : {}) },
        ...(method === "POST" ? { body: "{}" } : {}),
      });
    await waitFor("restored hub reconnects to the robot", async () => {
      const view = (await (await call("GET", `/api/robots/${robotId}`)).json()) as RobotView;
      return view.connection === "online";
    });
    assert.equal((await call("POST", `/api/robots/${robotId}/commands/locate`)).status, 200);
  });
});
