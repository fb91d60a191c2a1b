/**
 * `sweephub doctor`: checks what most often stops a hub from working and says what to do about it. Each check
 * is independent and reports ok, warn (works, but worth fixing) or fail (the hub will not work properly).
 */
import { randomBytes } from "node:crypto";
import { createSocket } from "node:dgram";
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  rmSync,
  statfsSync,
  writeSync,
} from "node:fs";
import { createServer } from "node:net";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { type Config, ConfigError, loadConfig } from "../config/load.ts";
import { schemaVersion } from "../store/database.ts";
import { MIGRATIONS } from "../store/migrations/index.ts";

export type CheckStatus = "ok" | "warn" | "fail";
export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  /** What to do, for warn and fail. */
  fix?: string;
}

export interface DoctorOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
  nodeVersion?: string;
}

const MIN_NODE = [20, 19] as const;
const MIN_FREE_BYTES = 200 * 1024 * 1024;
/** A clock before this cannot be right (it predates this code); robots' TLS certificates would look invalid. */
const EARLIEST_PLAUSIBLE = Date.UTC(2025, 0, 1);

export async function runDoctor(opts: DoctorOptions): Promise<CheckResult[]> {
  const results: CheckResult[] = [checkNode(opts.nodeVersion ?? process.versions.node)];
  const folder = checkDataFolder(opts.dataDir);
  results.push(folder);
  let config: Config | null = null;
  if (folder.status !== "fail") {
    const c = checkConfig(opts);
    results.push(c.result);
    config = c.config;
    results.push(checkDatabase(opts.dataDir, opts.now ?? Date.now));
  }
  if (config) {
    const http = await checkPort(config);
    results.push(http);
    // A running hub holds the Matter ports too; only a stopped hub's ports say something.
    if (config.matter.enabled && !http.detail.includes("running sweephub"))
      results.push(await checkMatterPort(config));
  }
  results.push(await checkMulticast());
  results.push(checkClock((opts.now ?? Date.now)()));
  return results;
}

export function checkNode(version: string): CheckResult {
  const [major, minor] = version.split(".").map(Number);
  const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  return ok
    ? { name: "Node.js", status: "ok", detail: `version ${version}` }
    : {
        name: "Node.js",
        status: "fail",
        detail: `version ${version} is too old`,
        fix: `Install Node.js ${MIN_NODE.join(".")} or newer (or use the Docker image).`,
      };
}

export function checkDataFolder(dataDir: string): CheckResult {
  const name = "Data folder";
  const probe = join(dataDir, `.doctor-${randomBytes(4).toString("hex")}`);
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const fd = openSync(probe, "wx", 0o600);
    try {
      writeSync(fd, "sweephub doctor write test\n");
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    rmSync(probe, { force: true });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return {
      name,
      status: "fail",
      detail: `${dataDir} is not writable (${e.code ?? e.message})`,
      fix:
        e.code === "ENOTDIR" || e.code === "EEXIST"
          ? `${dataDir} is a file, not a folder: move it away or set SWEEPHUB_DATA to a folder.`
          : e.code === "EROFS"
            ? `${dataDir} is on a read-only file system: mount the volume read-write (Docker: drop ":ro").`
            : `Give the user running sweephub write access to ${dataDir} ` +
              "(Docker: the image runs as uid 1000, e.g. `chown -R 1000:1000 <host folder>`).",
    };
  }
  const free = freeBytes(dataDir);
  if (free !== null && free < MIN_FREE_BYTES) {
    return {
      name,
      status: "warn",
      detail: `${dataDir} is writable, but only ${Math.round(free / 1024 / 1024)} MB are free`,
      fix: "Free some disk space: backups and the database need room to grow.",
    };
  }
  return {
    name,
    status: "ok",
    detail: `${dataDir} is writable${free !== null ? `, ${Math.round(free / 1024 / 1024)} MB free` : ""}`,
  };
}

function freeBytes(dir: string): number | null {
  try {
    const s = statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

function checkConfig(opts: DoctorOptions): { result: CheckResult; config: Config | null } {
  try {
    const loaded = loadConfig({
      dataDir: opts.dataDir,
      createIfMissing: false,
      ...(opts.env ? { env: opts.env } : {}),
    });
    const warnings = loaded.warnings;
    return {
      config: loaded.config,
      result: warnings.length
        ? {
            name: "Configuration",
            status: "warn",
            detail: warnings.join("; "),
            fix: "Fix or remove the entries named above.",
          }
        : {
            name: "Configuration",
            status: "ok",
            detail: existsSync(loaded.path) ? loaded.path : "defaults (no config.yaml yet)",
          },
    };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return {
      config: null,
      result: {
        name: "Configuration",
        status: "fail",
        detail: err.message,
        fix: "Correct config.yaml or the SWEEPHUB_* variables named above.",
      },
    };
  }
}

function checkDatabase(dataDir: string, now: () => number): CheckResult {
  const name = "Database";
  const file = join(dataDir, "sweephub.db");
  if (!existsSync(file)) return { name, status: "ok", detail: "none yet; created on first start" };
  let db: SqliteDatabase.Database | undefined;
  try {
    db = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
    const version = schemaVersion(db);
    const latest = MIGRATIONS.at(-1)?.version ?? 0;
    if (version > latest) {
      return {
        name,
        status: "fail",
        detail: `schema version ${version} is newer than this sweephub knows (${latest})`,
        fix: "Run the newer sweephub that wrote it, or restore a backup made with this version.",
      };
    }
    const quick = db.pragma("quick_check", { simple: true });
    if (quick !== "ok") {
      return {
        name,
        status: "fail",
        detail: `damaged: ${String(quick)}`,
        fix: "Restore the newest backup (sweephub restore) into an empty folder.",
      };
    }
    // Times in the database come from this clock; a clock far behind them has jumped back.
    const newest =
      (db.prepare("SELECT max(applied_at) AS t FROM schema_migrations").get() as { t: number | null }).t ?? 0;
    if (newest > now() + 24 * 3600_000) {
      return {
        name,
        status: "warn",
        detail: "the database has times later than this machine's clock",
        fix: "Set the system clock (enable NTP).",
      };
    }
    return {
      name,
      status: "ok",
      detail: `schema version ${version}${version < latest ? ` (upgraded to ${latest} on next start, after a backup)` : ""}`,
    };
  } catch (err) {
    return {
      name,
      status: "fail",
      detail: `cannot read ${file}: ${(err as Error).message}`,
      fix: "Restore the newest backup into an empty folder.",
    };
  } finally {
    db?.close();
  }
}

async function checkPort(config: Config): Promise<CheckResult> {
  const { host, port } = config.http;
  const name = "HTTP port";
  const free = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
    const server = createServer();
    server.once("error", (err) => resolve(err));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(null)));
  });
  if (!free) return { name, status: "ok", detail: `${host}:${port} is free` };
  if (free.code === "EADDRINUSE") {
    const hub = await fetch(
      `http://${host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host}:${port}/api/health`,
      { signal: AbortSignal.timeout(2000) },
    )
      .then((r) => r.ok)
      .catch(() => false);
    return hub
      ? { name, status: "ok", detail: `${host}:${port} is in use by a running sweephub` }
      : {
          name,
          status: "fail",
          detail: `${host}:${port} is in use by another program`,
          fix: "Stop that program or set http.port (SWEEPHUB_HTTP_PORT) to a free port.",
        };
  }
  return {
    name,
    status: "fail",
    detail: `cannot listen on ${host}:${port} (${free.code ?? free.message})`,
    fix: "Set http.host to an address of this machine (0.0.0.0 for all).",
  };
}

async function checkMatterPort(config: Config): Promise<CheckResult> {
  const port = config.matter.basePort;
  const name = "Matter port";
  const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
    const socket = createSocket({ type: "udp4", reuseAddr: false });
    socket.once("error", (err) => {
      socket.close();
      resolve(err);
    });
    socket.bind(port, () => socket.close(() => resolve(null)));
  });
  if (!error) return { name, status: "ok", detail: `UDP ${port} is free` };
  return {
    name,
    status: "warn",
    detail: `UDP ${port} is in use (${error.code ?? error.message})`,
    fix: "Another Matter device or bridge (Home Assistant's Matter server?) uses it: set matter.basePort to a free port.",
  };
}

async function checkMulticast(): Promise<CheckResult> {
  const name = "Multicast (mDNS)";
  const lan = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && !a.internal);
  const joined = await new Promise<string | null>((resolve) => {
    const socket = createSocket({ type: "udp4", reuseAddr: true });
    socket.once("error", (err) => {
      socket.close();
      resolve(err.message);
    });
    socket.bind(5353, () => {
      try {
        socket.addMembership("224.0.0.251");
        resolve(null);
      } catch (err) {
        resolve((err as Error).message);
      } finally {
        socket.close();
      }
    });
  });
  if (joined) {
    return {
      name,
      status: "fail",
      detail: `cannot join the mDNS group (${joined})`,
      fix: "Robots will not be found automatically; pair them by address (POST /api/robots/pair with host and port). In Docker use network_mode: host.",
    };
  }
  if (lan.length === 0) {
    return {
      name,
      status: "warn",
      detail: "only a loopback interface: robots on the LAN cannot be seen",
      fix: "In Docker, use network_mode: host (see compose.yaml); on Docker Desktop pair robots by address.",
    };
  }
  return { name, status: "ok", detail: `mDNS group joined; ${lan.length} LAN address(es)` };
}

export function checkClock(now: number): CheckResult {
  if (now < EARLIEST_PLAUSIBLE) {
    return {
      name: "Clock",
      status: "fail",
      detail: `the system time is ${new Date(now).toISOString()}`,
      fix: "Set the system clock (enable NTP): certificates and history depend on it.",
    };
  }
  return { name: "Clock", status: "ok", detail: new Date(now).toISOString() };
}

export function formatDoctorReport(results: CheckResult[]): string {
  const mark: Record<CheckStatus, string> = { ok: "ok  ", warn: "WARN", fail: "FAIL" };
  const lines = results.map(
    (r) => `[${mark[r.status]}] ${r.name}: ${r.detail}${r.fix ? `\n       fix: ${r.fix}` : ""}`,
  );
  const failed = results.filter((r) => r.status === "fail").length;
  const warned = results.filter((r) => r.status === "warn").length;
  lines.push(
    "",
    failed
      ? `${failed} problem(s) to fix.`
      : warned
        ? `No blocking problems; ${warned} warning(s).`
        : "All checks passed.",
  );
  return `${lines.join("\n")}\n`;
}
