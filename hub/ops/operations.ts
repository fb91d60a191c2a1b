/**
 * Wires the operations pieces into a hub: metric sources and counters, the retention and backup services, and
 * the operations routes. Kept out of main.ts so the composition root stays a readable list of services.
 */
import type { FastifyInstance, preHandlerHookHandler } from "fastify";
import { operationsRoutes } from "../api/routes/operations.ts";
import type { Config } from "../config/schema.ts";
import type { EventBus } from "../core/event-bus.ts";
import type { Service } from "../core/service-controller.ts";
import type { Logger } from "../logging.ts";
import type { RobotManager } from "../robots/robot-manager.ts";
import type { CleaningRepository } from "../store/cleaning-repository.ts";
import type { Database } from "../store/database.ts";
import { BackupService } from "./backup-service.ts";
import type { LogBuffer } from "./log-buffer.ts";
import { databaseBytes, type HubMetrics } from "./metrics.ts";
import { RetentionService } from "./retention-service.ts";

export interface OperationsDeps {
  config: Config;
  dataDir: string;
  dbFile: string;
  db: Database;
  log: Logger;
  bus: EventBus;
  app: FastifyInstance;
  robots: RobotManager;
  cleaning: CleaningRepository;
  metrics: HubMetrics | null;
  logBuffer: LogBuffer | null;
  hubVersion: string;
  ownerOnly?: preHandlerHookHandler;
  now?: () => number;
}

export interface Operations {
  backups: BackupService;
  retention: RetentionService;
  /** Started after the robots service, in this order. */
  services: Service[];
}

export async function setUpOperations(deps: OperationsDeps): Promise<Operations> {
  const { metrics } = deps;
  if (metrics) {
    metrics.setSource("robotsPaired", () => deps.robots.list().length);
    metrics.setSource(
      "robotsOnline",
      () => deps.robots.list().filter((r) => r.connection === "online").length,
    );
    metrics.setSource("websocketClients", () => deps.app.websocketServer?.clients.size ?? 0);
    metrics.setSource("databaseBytes", () => databaseBytes(deps.dbFile));
    deps.bus.on("robotEvent", metrics, ({ name }) => metrics.robotEvents.inc({ event: name }));
  }
  const retention = new RetentionService({
    log: deps.log.child({ service: "retention" }),
    days: deps.config.retention.days,
    targets: [
      { kind: "cleaning_sessions", deleteOlderThan: (cutoff) => deps.cleaning.deleteOlderThan(cutoff) },
    ],
    ...(metrics ? { metrics } : {}),
    ...(deps.now ? { now: deps.now } : {}),
  });
  const backups = new BackupService({
    log: deps.log.child({ service: "backup" }),
    db: deps.db,
    dataDir: deps.dataDir,
    config: deps.config.backup,
    hubVersion: deps.hubVersion,
    ...(metrics ? { metrics } : {}),
    ...(deps.now ? { now: deps.now } : {}),
  });
  await deps.app.register(operationsRoutes, {
    metrics,
    metricsToken: deps.config.metrics.token,
    log: deps.log,
    configuredLevel: deps.config.log.level,
    logBuffer: deps.logBuffer,
    backups,
    ...(deps.ownerOnly ? { ownerOnly: deps.ownerOnly } : {}),
  });
  return { backups, retention, services: [retention, backups] };
}
