/**
 * Names and listing of backup archives in a backup folder. The kind is in the name so rotation can delete old
 * scheduled backups without touching manual or pre-migration ones, and the UTC time sorts lexically.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { BackupKind } from "./backup-archive.ts";

const PREFIX: Record<BackupKind, string> = {
  manual: "sweephub-backup",
  scheduled: "sweephub-scheduled",
  "pre-migration": "sweephub-pre-migration",
};
const NAME =
  /^sweephub-(backup|scheduled|pre-migration)(?:-v\d+-to-v\d+)?-(\d{8}T\d{6}(?:\d{3})?Z)\.tar\.gz$/;

export interface BackupFile {
  name: string;
  path: string;
  kind: BackupKind;
  bytes: number;
  createdAt: number;
}

/** `sweephub-scheduled-20261129T145803123Z.tar.gz`; `detail` (e.g. "v1-to-v2") goes before the time. */
export function backupFileName(kind: BackupKind, at: number, detail?: string): string {
  const stamp = new Date(at).toISOString().replace(/[-:.]/g, "");
  return `${PREFIX[kind]}${detail ? `-${detail}` : ""}-${stamp}.tar.gz`;
}

/** Archives in `dir` made by sweephub, newest first; a missing folder has none. */
export function listBackupFiles(dir: string): BackupFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: BackupFile[] = [];
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m) continue;
    const kind = (Object.entries(PREFIX).find(([, p]) => p === `sweephub-${m[1]}`)?.[0] ??
      "manual") as BackupKind;
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat?.isFile()) continue;
    out.push({ name, path, kind, bytes: stat.size, createdAt: parseStamp(m[2]) });
  }
  return out.sort((a, b) => b.createdAt - a.createdAt || b.name.localeCompare(a.name));
}

function parseStamp(s: string): number {
  const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}.${s.length > 16 ? s.slice(15, 18) : "000"}Z`;
  return Date.parse(iso);
}
