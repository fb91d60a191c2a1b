/**
 * Typed calls of the owner's operations API (docs/operations.md, hub/api/routes/operations.ts): the log level,
 * recent log lines, backups, and the readiness checks; plus pure helpers for the System settings page.
 */
import type { LogLevel } from "../../../hub/config/schema.ts";
import type { MatterStatus } from "../../../hub/matter/matter-types.ts";
import type { BackupKind } from "../../../hub/ops/backup-archive.ts";
import { request } from "./api.ts";

/** The hub's levels, most severe first; a type check keeps them in step with the hub's LOG_LEVELS. */
export const LOG_LEVEL_CHOICES = [
  "fatal",
  "error",
  "warn",
  "info",
  "debug",
  "trace",
] as const satisfies readonly LogLevel[];

export interface LogLevelState {
  level: LogLevel;
  /** log.level from the configuration, used again after a restart. */
  configured: string;
}

export interface LogEntry {
  seq: number;
  time: number;
  level: LogLevel;
  service: string | null;
  msg: string;
  fields: Record<string, unknown>;
}

export interface LogQuery {
  /** Least severe level returned. */
  level?: LogLevel;
  service?: string;
  /** Only lines after this seq (polling). */
  after?: number;
  limit?: number;
}

export interface Backup {
  name: string;
  kind: BackupKind;
  bytes: number;
  createdAt: number;
}

export interface BackupList {
  dir: string;
  nextScheduledAt: number | null;
  backups: Backup[];
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, boolean>;
}

export const systemApi = {
  logLevel: () => request<LogLevelState>("GET", "/api/system/log-level"),
  setLogLevel: (level: LogLevel) => request<LogLevelState>("PUT", "/api/system/log-level", { level }),
  logs: (query: LogQuery = {}) => {
    const q = new URLSearchParams();
    if (query.level) q.set("level", query.level);
    if (query.service) q.set("service", query.service);
    if (query.after !== undefined) q.set("after", String(query.after));
    if (query.limit) q.set("limit", String(query.limit));
    const s = q.toString();
    return request<{ entries: LogEntry[]; lastSeq: number }>("GET", `/api/system/logs${s ? `?${s}` : ""}`);
  },
  backups: () => request<BackupList>("GET", "/api/system/backups"),
  backupNow: () => request<Backup>("POST", "/api/system/backups"),
  /** The link that downloads a backup (a plain GET with the session cookie). */
  backupUrl: (name: string) => `/api/system/backups/${encodeURIComponent(name)}`,
  /** /api/ready answers 503 with the same body when a check fails: that is an answer, not an error. */
  readiness: async (): Promise<Readiness> => {
    const res = await fetch("/api/ready", {
      headers: { accept: "application/json" },
      credentials: "same-origin",
    });
    if (res.status !== 200 && res.status !== 503) throw new Error(`The hub answered ${res.status}`);
    return (await res.json()) as Readiness;
  },
  /** Matter's status, or null when this hub has no Matter bridge (the route is absent). */
  matter: () =>
    request<MatterStatus>("GET", "/api/matter").catch((err: unknown) => {
      if ((err as { status?: number }).status === 404) return null;
      throw err;
    }),
};

/** Newest first, and only lines containing `text` in their message, service or details (case-insensitive). */
export function visibleLines(entries: readonly LogEntry[], text: string): LogEntry[] {
  const needle = text.trim().toLowerCase();
  const matches = needle
    ? entries.filter(
        (e) =>
          e.msg.toLowerCase().includes(needle) ||
          (e.service ?? "").toLowerCase().includes(needle) ||
          // As the details are shown (indented JSON), so what a person copies from them matches.
          JSON.stringify(e.fields, null, 2).toLowerCase().includes(needle),
      )
    : [...entries];
  return matches.sort((a, b) => b.seq - a.seq);
}

/** 1536 → "1.5 KB": sizes as people read them. */
export function sizeLabel(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export const BACKUP_KIND_LABELS: Record<BackupKind, string> = {
  manual: "Manual",
  scheduled: "Scheduled",
  "pre-migration": "Before an upgrade",
};

export const READINESS_LABELS: Record<string, string> = {
  database: "Database",
  migrations: "Database schema up to date",
  discovery: "Robot discovery",
};
