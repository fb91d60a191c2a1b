/**
 * Prometheus metrics (prom-client) on a registry of its own, so several hubs in one process (tests) never mix
 * their numbers. Gauges that describe the present (robots online, WebSocket clients, database size) are read
 * from their owners at scrape time through sources registered by the composition root; counters and the
 * command latency histogram are fed as things happen. Services that arrive later (Matter, MQTT) set their
 * gauges through `setSource` or the metric objects, without changes here.
 */
import { statSync } from "node:fs";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export type MetricsSource =
  | "robotsPaired"
  | "robotsOnline"
  | "websocketClients"
  | "databaseBytes"
  | "matterNodes"
  | "mqttConnected";

export class HubMetrics {
  readonly registry = new Registry();
  readonly #sources = new Map<MetricsSource, () => number>();
  readonly commandDuration: Histogram<"command" | "outcome">;
  readonly robotEvents: Counter<"event">;
  readonly retentionDeleted: Counter<"kind">;
  readonly backups: Counter<"kind" | "outcome">;
  readonly backupLastSuccess: Gauge;

  constructor(version: string) {
    const registers = [this.registry];
    const fromSource = (name: string, help: string, source: MetricsSource) => {
      const sources = this.#sources;
      return new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(sources.get(source)?.() ?? 0);
        },
      });
    };
    new Gauge({
      name: "sweephub_info",
      help: "Always 1; the version label says which hub runs",
      labelNames: ["version"],
      registers,
    }).set({ version }, 1);
    fromSource("sweephub_robots_paired", "Robots paired with this hub", "robotsPaired");
    fromSource(
      "sweephub_robots_online",
      "Paired robots with an open, authenticated connection",
      "robotsOnline",
    );
    fromSource(
      "sweephub_websocket_clients",
      "Clients connected to the /api/ws WebSocket",
      "websocketClients",
    );
    fromSource(
      "sweephub_database_bytes",
      "Size of the SQLite database including its write-ahead log",
      "databaseBytes",
    );
    fromSource("sweephub_matter_nodes", "Matter nodes (robots or the bridge) this hub serves", "matterNodes");
    fromSource(
      "sweephub_mqtt_connected",
      "1 when connected to the MQTT broker, else 0 (also when MQTT is off)",
      "mqttConnected",
    );
    this.commandDuration = new Histogram({
      name: "sweephub_command_duration_seconds",
      help: "Time from a command entering the hub to the robot's answer, by command and outcome (ok or an error code)",
      labelNames: ["command", "outcome"],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.robotEvents = new Counter({
      name: "sweephub_robot_events_total",
      help: "Events pushed by robots, by event name; events per second = rate(sweephub_robot_events_total[1m])",
      labelNames: ["event"],
      registers,
    });
    this.retentionDeleted = new Counter({
      name: "sweephub_retention_deleted_total",
      help: "Rows deleted by the retention service because they were older than retention.days, by kind",
      labelNames: ["kind"],
      registers,
    });
    this.backups = new Counter({
      name: "sweephub_backups_total",
      help: "Backups written by the hub, by kind (scheduled, manual) and outcome (ok, failed)",
      labelNames: ["kind", "outcome"],
      registers,
    });
    this.backupLastSuccess = new Gauge({
      name: "sweephub_backup_last_success_timestamp_seconds",
      help: "Unix time of the last successful backup (0: none since the hub started); alert if it gets old",
      registers,
    });
    collectDefaultMetrics({ register: this.registry, prefix: "sweephub_" });
  }

  /** Where a present-state gauge reads its value at scrape time (replaces an earlier source). */
  setSource(name: MetricsSource, read: () => number): void {
    this.#sources.set(name, read);
  }

  observeCommand(command: string, outcome: string, seconds: number): void {
    this.commandDuration.observe({ command, outcome }, seconds);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** Database file plus its write-ahead log, in bytes (0 for files that do not exist). */
export function databaseBytes(file: string): number {
  let total = 0;
  for (const f of [file, `${file}-wal`]) total += statSync(f, { throwIfNoEntry: false })?.size ?? 0;
  return total;
}
