/**
 * The composition root: loads config, opens the store, creates the services with their dependencies passed in
 * explicitly (no singletons, so tests build a hub with their own data folder, ports and timings), and starts
 * them in order. `startHub` is what the CLI, the demo and the end-to-end tests call.
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { loadOrCreateIdentity } from "../integrations/sweep/protocol/identity.ts";
import { buildApp } from "./api/app.ts";
import { setUpAccounts } from "./auth/setup.ts";
import { type Config, loadConfig } from "./config/load.ts";
import { EventBus } from "./core/event-bus.ts";
import { type Service, ServiceController } from "./core/service-controller.ts";
import { DiscoveryService } from "./discovery/discovery-service.ts";
import { createLogger, type Logger } from "./logging.ts";
import { MapRepository } from "./maps/map-repository.ts";
import { MapService } from "./maps/map-service.ts";
import { registerMapsData } from "./maps/maps-data-provider.ts";
import { MatterService } from "./matter/matter-service.ts";
import type { BackupService } from "./ops/backup-service.ts";
import { LogBuffer } from "./ops/log-buffer.ts";
import { HubMetrics } from "./ops/metrics.ts";
import { setUpOperations } from "./ops/operations.ts";
import { RobotManager } from "./robots/robot-manager.ts";
import type { SessionTimings } from "./robots/robot-session.ts";
import { type Database, openDatabase, schemaVersion } from "./store/database.ts";
import { MatterRepository } from "./store/matter-repository.ts";
import { MIGRATIONS } from "./store/migrations/index.ts";
import { RobotRepository } from "./store/robot-repository.ts";
import { SettingsRepository } from "./store/settings-repository.ts";
import { HUB_VERSION } from "./version.ts";

export interface HubOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  log?: Logger;
  /** Applied after the validated config; for tests and the demo (e.g. port 0 = any free port). */
  overrides?: {
    http?: Partial<Config["http"]>;
    discovery?: Partial<Config["discovery"]>;
    matter?: Partial<Config["matter"]>;
  };
  /** Test hooks: faster heartbeats. */
  timings?: Partial<SessionTimings>;
  /** Recent log lines for the log viewer; give one together with `log` (created with it as `tee`). */
  logBuffer?: LogBuffer;
}

export interface RunningHub {
  url: string;
  port: number;
  config: Config;
  log: Logger;
  db: Database;
  robots: RobotManager;
  discovery: DiscoveryService | null;
  app: FastifyInstance;
  /** Starts in the background after the rest of the hub; see `matter.status()`. */
  matter: MatterService;
  maps: MapService;
  metrics: HubMetrics | null;
  backups: BackupService;
  stop(): Promise<void>;
}

export { HUB_VERSION } from "./version.ts";

export async function startHub(options: HubOptions): Promise<RunningHub> {
  const loaded = loadConfig({ dataDir: options.dataDir, ...(options.env ? { env: options.env } : {}) });
  const config: Config = {
    ...loaded.config,
    http: { ...loaded.config.http, ...options.overrides?.http },
    discovery: { ...loaded.config.discovery, ...options.overrides?.discovery },
    matter: { ...loaded.config.matter, ...options.overrides?.matter },
  };
  const logBuffer = options.logBuffer ?? (options.log ? null : new LogBuffer());
  const log =
    options.log ?? createLogger({ level: config.log.level, ...(logBuffer ? { tee: logBuffer } : {}) });
  for (const w of loaded.warnings) log.warn(w);
  if (loaded.created) log.info({ path: loaded.path }, "created config.yaml with commented defaults");

  const dbFile = join(options.dataDir, "sweephub.db");
  const db = openDatabase(dbFile, log.child({ service: "store" }));
  const metrics = config.metrics.enabled ? new HubMetrics(HUB_VERSION) : null;
  const settings = new SettingsRepository(db);
  let hubId = settings.get("hub.id");
  if (!hubId) {
    hubId = randomUUID();
    settings.set("hub.id", hubId);
  }
  const identity = await loadOrCreateIdentity(join(options.dataDir, "keys"), "hub", `sweephub-${hubId}`);
  const bus = new EventBus();
  const robotRepo = new RobotRepository(db);
  // Accounts, access, audit and data rights (hub/auth/setup.ts); history honours per-robot consent.
  const accounts = setUpAccounts({ config, dataDir: options.dataDir, db, bus, log });
  const cleaning = accounts.cleaning;
  const discovery = config.discovery.enabled
    ? new DiscoveryService({
        log: log.child({ service: "discovery" }),
        bus,
        interface: config.discovery.interface,
        advertise: null,
        isKnown: (id) => robots.isPaired(id),
      })
    : null;
  const robots: RobotManager = new RobotManager({
    log: log.child({ service: "robots" }),
    bus,
    robots: robotRepo,
    cleaning,
    access: accounts.commandAccess,
    hub: { id: hubId, name: config.hub.name, identity },
    timings: { ...config.robots, ...options.timings },
    discovery,
    ...(metrics ? { observeCommand: metrics.observeCommand.bind(metrics) } : {}),
  });
  const mapRepo = new MapRepository(db);
  const maps = new MapService({ log: log.child({ service: "maps" }), bus, robots, repo: mapRepo });
  registerMapsData(accounts.registry, { repo: mapRepo, dbPath: join(options.dataDir, "sweephub.db") });
  const matter = new MatterService({
    config: config.matter,
    hubName: config.hub.name,
    hubVersion: HUB_VERSION,
    dataDir: options.dataDir,
    robots,
    bus,
    repo: new MatterRepository(db),
    log: log.child({ service: "matter" }),
    roomOrder: (robotId, floor) => maps.roomOrder(robotId, floor),
  });
  const followLogLevel = (level: string) => matter.logLevelChanged(level);
  const controller = new ServiceController(log);
  const app = await buildApp({
    log,
    bus,
    robots,
    discovery,
    cleaning,
    access: await accounts.finish(robots, (robotId) => maps.rooms(robotId)),
    hubName: config.hub.name,
    matter,
    maps,
    version: HUB_VERSION,
    trustProxy: config.http.trustProxy,
    readiness: () => ({
      database: databaseAnswers(db),
      migrations: databaseAnswers(db) && schemaVersion(db) === (MIGRATIONS.at(-1)?.version ?? 0),
      discovery: discovery === null || controller.isRunning("discovery"),
      matter: matter.healthy,
    }),
  });
  const ops = await setUpOperations({
    config,
    dataDir: options.dataDir,
    dbFile,
    db,
    log,
    bus,
    app,
    robots,
    cleaning,
    metrics,
    logBuffer,
    hubVersion: HUB_VERSION,
  });
  metrics?.setSource("matterNodes", () => matter.status().nodes.length);

  let port = 0;
  // Closing HTTP first on shutdown (stop accepting, let running requests finish) and again as a service.
  let httpClosed: Promise<void> | null = null;
  const closeHttp = () => {
    httpClosed ??= (async () => {
      // A keep-alive connection busy when closing began goes idle afterwards and would hold the close open for
      // the keep-alive timeout (72 s): close those as they become idle.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
      try {
        await app.close();
      } finally {
        clearInterval(sweep);
      }
    })();
    return httpClosed;
  };
  const services: Service[] = [
    {
      name: "http",
      required: true,
      start: async () => {
        await app.listen({ host: config.http.host, port: config.http.port });
        const addr = app.server.address();
        port = addr && typeof addr === "object" ? addr.port : config.http.port;
      },
      stop: closeHttp,
    },
    ...(discovery
      ? [
          {
            name: "discovery",
            required: false,
            start: () => {
              if (config.discovery.advertise)
                discovery.setAdvertisement({ name: config.hub.name, port, id: hubId as string });
              discovery.start();
            },
            stop: () => discovery.stop(),
          },
        ]
      : []),
    { name: "robots", required: true, start: () => robots.start(), stop: () => robots.stop() },
    { name: "maps", required: false, start: () => maps.start(), stop: () => maps.stop() },
    ...accounts.services,
    // Not awaited: matter.js loads in the background once the API and robot sessions are up.
    {
      name: "matter",
      required: false,
      start: () => {
        // A runtime log level change (PUT /api/system/log-level sets the root logger) reaches the Matter worker,
        // whose own logger filters before lines cross to this thread. Only the root emits the event reliably.
        log.on("level-change", followLogLevel);
        return matter.start();
      },
      stop: () => {
        log.off("level-change", followLogLevel);
        return matter.stop();
      },
    },
    ...ops.services,
  ];
  try {
    await controller.start(services);
  } catch (err) {
    db.close();
    throw err;
  }
  const host = config.http.host.includes(":") ? `[${config.http.host}]` : config.http.host;
  const displayHost = host === "0.0.0.0" || host === "[::]" ? "127.0.0.1" : host;
  const url = `${accounts.tls ? "https" : "http"}://${displayHost}:${port}`;
  log.info({ url, dataDir: options.dataDir }, "sweephub ready");
  let stopping: Promise<void> | null = null;
  return {
    url,
    port,
    config,
    log,
    db,
    robots,
    discovery,
    app,
    matter,
    maps,
    metrics,
    backups: ops.backups,
    stop: () => {
      stopping ??= (async () => {
        await closeHttp();
        await controller.stop();
        db.close();
      })();
      return stopping;
    },
  };
}

/** A closed or broken database does not answer; readiness must say so rather than throw. */
function databaseAnswers(db: Database): boolean {
  try {
    return db.open && db.prepare("SELECT 1 AS ok").get() !== undefined;
  } catch {
    return false;
  }
}
