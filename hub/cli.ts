/**
 * The `sweephub` command line: start the hub, run the demo, run the robot simulator, poke simulated robots.
 * Kept thin: each command calls into the modules that do the work.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { HUB_VERSION } from "./version.ts";

// Each command loads what it needs when it runs: `help` or a usage error answers at once instead of first
// loading the whole hub (configuration schemas, fastify, SQLite, the dashboard's build...).
const config = () => import("./config/load.ts");

/** Errors a person can act on: printed as one line, exit code 1 (anything else is a bug: with its stack). */
const USER_ERRORS = new Set(["ConfigError", "DatabaseError", "BackupError", "HubError"]);

/** SIGTERM to exit: what `docker stop` waits by default before SIGKILL is 10 s, so finish well within it. */
export const SHUTDOWN_LIMIT_MS = 9_000;

const HELP = `sweephub — a local-first hub for robot vacuums

Usage:
  sweephub start                 run the hub (data folder: $SWEEPHUB_DATA or ./data)
  sweephub demo [options]        hub + simulated robots, paired automatically, in a private network namespace
      --robots N                 number of simulated robots (default 3)
      --time-scale X             simulated time runs X times faster (default 1)
      --port P                   dashboard port on 127.0.0.1 (default 8470)
      --no-open                  don't open a browser
  sweephub sim [options]         run simulated robots only (pair them from any hub)
      --robots N  --time-scale X  --base-port P  --control-port P (default 8479)  --state-dir DIR
  sweephub sim-ctl <action> ...  control a running simulator through its control port
      list | fault <robotId> <stuck|brush_jammed|bin_full|cliff_sensor|wheel_blocked> | clear <robotId>
      floor <robotId> <floorId> | battery <robotId> <percent> | restart <robotId> | reset <robotId>
      --control-port P (default 8479)
  sweephub backup [--out FILE]    write a backup archive (database snapshot, keys, config, Matter storage);
                                 safe while the hub runs. Default: the backup folder (backup.dir)
  sweephub restore FILE          restore an archive into the data folder, which must be empty
  sweephub reset-password USER [--revoke-tokens]
                                 set a new password for USER (asked on the terminal, or the first line of
                                 stdin); signs them out everywhere; --revoke-tokens also deletes their API
                                 tokens (do that after a suspected break-in)
  sweephub doctor                check the data folder, configuration, database, port, multicast and clock
  sweephub help
`;

async function main(argv: string[]): Promise<number> {
  const [command = "help", ...rest] = argv;
  switch (command) {
    case "start":
      return start();
    case "demo":
      return demo(rest);
    case "backup":
      return backup(rest);
    case "restore":
      return restore(rest);
    case "reset-password":
      return resetPasswordCommand(rest);
    case "doctor": {
      parseArgs({ args: rest, options: {}, strict: true });
      const { formatDoctorReport, runDoctor } = await import("./ops/doctor.ts");
      const results = await runDoctor({ dataDir: (await config()).resolveDataDir() });
      process.stdout.write(formatDoctorReport(results));
      return results.some((r) => r.status === "fail") ? 1 : 0;
    }
    case "sim":
      return (await import("../integrations/sweep/simulator/cli.ts")).runSimulatorCli(rest);
    case "sim-ctl":
      return (await import("../integrations/sweep/simulator/cli.ts")).runSimulatorControlCli(rest);
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(HELP);
      return 0;
    default:
      process.stderr.write(`Unknown command ${JSON.stringify(command)}\n\n${HELP}`);
      return 2;
  }
}

async function start(): Promise<number> {
  const { startHub } = await import("./main.ts");
  const hub = await startHub({ dataDir: (await config()).resolveDataDir() });
  process.stdout.write(`sweephub is running at ${hub.url} (Ctrl-C to stop)\n`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  // Stop accepting, finish writes, close robot sessions; a stuck step must not keep the process alive past the
  // container's grace period, and a second signal means "now".
  hub.log.info({ signal }, "shutting down");
  const started = Date.now();
  const forced = new Promise<number>((resolve) => {
    const timer = setTimeout(() => {
      hub.log.error({ limitMs: SHUTDOWN_LIMIT_MS }, "shutdown took too long; exiting anyway");
      resolve(1);
    }, SHUTDOWN_LIMIT_MS);
    timer.unref();
    const again = () => {
      hub.log.warn("second signal: exiting without waiting");
      resolve(130);
    };
    process.once("SIGINT", again);
    process.once("SIGTERM", again);
  });
  const code = await Promise.race([hub.stop().then(() => 0), forced]);
  if (code === 0) hub.log.info({ ms: Date.now() - started }, "stopped");
  // Anything still holding the event loop (a half-open socket) must not keep a stopped hub alive.
  process.exit(code);
}

async function backup(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { out: { type: "string" } }, strict: true });
  const { loadConfig, resolveDataDir } = await config();
  const { createBackup } = await import("./ops/backup-archive.ts");
  const { backupFileName } = await import("./ops/backup-files.ts");
  const { backupDir } = await import("./ops/backup-service.ts");
  const dataDir = resolveDataDir();
  const hubConfig = loadConfig({ dataDir, createIfMissing: false }).config;
  const out = values.out
    ? resolve(values.out)
    : resolve(backupDir(dataDir, hubConfig.backup), backupFileName("manual", Date.now()));
  const result = await createBackup({ dataDir, out, kind: "manual", hubVersion: HUB_VERSION });
  const tables = Object.entries(result.manifest.database)
    .filter(([t]) => t !== "schema_migrations")
    .map(([t, c]) => `${t} ${c.rows}`)
    .join(", ");
  process.stdout.write(
    `Backup written to ${result.file}\n  schema version ${result.manifest.schemaVersion}; rows: ${tables}\n` +
      `  files: ${result.manifest.files.length}\nRestore it with: sweephub restore ${result.file}\n`,
  );
  return 0;
}

async function resetPasswordCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    options: { "revoke-tokens": { type: "boolean" } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1)
    throw new UsageError("reset-password needs exactly one argument: the user name");
  const { loadConfig, resolveDataDir } = await config();
  const { resetPassword } = await import("./ops/reset-password.ts");
  const { createLogger } = await import("./logging.ts");
  const dataDir = resolveDataDir();
  const hubConfig = loadConfig({ dataDir, createIfMissing: false }).config;
  const password = await readNewPassword();
  const user = await resetPassword({
    dataDir,
    config: hubConfig,
    username: positionals[0],
    password,
    revokeTokens: values["revoke-tokens"] === true,
    log: createLogger({ level: "warn", pretty: false, destination: process.stderr }),
  });
  const { revoked, kept } = user.tokens;
  const tokens =
    revoked > 0
      ? ` ${revoked} API token${revoked === 1 ? " was" : "s were"} revoked.`
      : kept > 0
        ? ` ${kept} API token${kept === 1 ? " still works" : "s still work"} (revoke in Settings → Security, or run with --revoke-tokens).`
        : "";
  process.stdout.write(
    `New password set for ${user.username} (${user.role}); their sessions were ended.${tokens}\n`,
  );
  return 0;
}

/** Asks twice without echo on a terminal; otherwise takes the first line of stdin (scripts, `docker exec -i`). */
async function readNewPassword(): Promise<string> {
  const { createInterface } = await import("node:readline/promises");
  if (!process.stdin.isTTY) {
    let text = "";
    for await (const chunk of process.stdin) text += chunk;
    const line = text.split(/\r?\n/)[0] ?? "";
    if (!line) throw new UsageError("no password on stdin");
    return line;
  }
  const ask = async (prompt: string) => {
    process.stdout.write(prompt);
    const rl = createInterface({
      input: process.stdin,
      output: new (await import("node:stream")).Writable({ write: (_c, _e, done) => done() }),
      terminal: true,
    });
    try {
      return await rl.question("");
    } finally {
      rl.close();
      process.stdout.write("\n");
    }
  };
  const first = await ask("New password: ");
  if ((await ask("Again: ")) !== first) throw new UsageError("the two passwords differ; nothing was changed");
  return first;
}

async function restore(args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError("restore needs exactly one argument: the backup file");
  const dataDir = (await config()).resolveDataDir();
  const { restoreBackup } = await import("./ops/backup-archive.ts");
  const manifest = await restoreBackup({ file: resolve(positionals[0]), dataDir });
  process.stdout.write(
    `Restored a ${manifest.kind} backup from ${manifest.createdAt} (sweephub ${manifest.hubVersion}, schema ` +
      `${manifest.schemaVersion}) into ${dataDir}\nStart the hub with: sweephub start\n`,
  );
  return 0;
}

async function demo(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      robots: { type: "string", default: "3" },
      "time-scale": { type: "string", default: "1" },
      port: { type: "string", default: "8470" },
      "control-port": { type: "string", default: "8479" },
      "no-open": { type: "boolean", default: false },
      "bridge-socket": { type: "string" },
    },
    strict: true,
  });
  const robots = Number(values.robots);
  const timeScale = Number(values["time-scale"]);
  const port = Number(values.port);
  const controlPort = Number(values["control-port"]);
  if (!Number.isInteger(robots) || robots < 1 || robots > 50)
    throw new UsageError("--robots must be an integer from 1 to 50");
  if (!(timeScale > 0 && timeScale <= 1000))
    throw new UsageError("--time-scale must be a number above 0 and at most 1000");
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new UsageError("--port must be a TCP port (1-65535)");
  const { runDemo } = await import("./demo/demo.ts");
  return runDemo({
    dataDir: (await config()).resolveDataDir(),
    robots,
    timeScale,
    port,
    controlPort,
    open: !values["no-open"],
    ...(values["bridge-socket"] ? { bridgeSocket: values["bridge-socket"] } : {}),
  });
}

export class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError || (err instanceof Error && USER_ERRORS.has(err.name))) {
      process.stderr.write(`sweephub: ${err.message}\n`);
      process.exitCode = 1;
      return;
    }
    const e = err as NodeJS.ErrnoException;
    if (e.code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`sweephub: ${e.message}\n\n${HELP}`);
      process.exitCode = 2;
      return;
    }
    if (e.code === "EADDRINUSE") {
      process.stderr.write(
        `sweephub: the port is already in use (${e.message}); stop the other program or choose another port\n`,
      );
      process.exitCode = 1;
      return;
    }
    process.stderr.write(`sweephub: ${e.stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
