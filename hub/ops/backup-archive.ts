/**
 * Backup archives: one .tar.gz with a consistent snapshot of the database, everything else in the data folder
 * that a hub needs to come back as itself (config.yaml, keys/ — so robots' pinned certificates still match —,
 * Matter storage, ...) and a manifest with per-table checksums. Restoring checks all of it before anything
 * lands in the target folder, and only ever restores into an empty folder.
 *
 * The live database is copied with SQLite's online backup API (better-sqlite3 `db.backup()`), which gives a
 * point-in-time snapshot while the hub keeps writing. The synchronous variant (used right before a schema
 * migration, when nothing else writes yet) uses `VACUUM INTO`, SQLite's other consistent-copy primitive.
 */
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import SqliteDatabase from "better-sqlite3";
import * as tar from "tar";
import Type, { type Static } from "typebox";
import Value from "typebox/value";
import { MIGRATIONS } from "../store/migrations/index.ts";
import { checksumDifferences, databaseChecksums } from "./db-checksums.ts";

export const DATABASE_FILE = "sweephub.db";
const MANIFEST_FILE = "manifest.json";

/**
 * Top-level data folder entries never archived: the live database files (the snapshot replaces them), backups
 * themselves, and the simulator's robots (they are not part of the hub). Dot-files are scratch space.
 */
const EXCLUDED = new Set([
  DATABASE_FILE,
  `${DATABASE_FILE}-wal`,
  `${DATABASE_FILE}-shm`,
  `${DATABASE_FILE}-journal`,
  "backups",
  "simulator",
  // Runtime sockets and pid files (the demo's dashboard bridge lives here).
  "run",
  "lost+found",
]);

export const BACKUP_KINDS = ["manual", "scheduled", "pre-migration"] as const;
export type BackupKind = (typeof BACKUP_KINDS)[number];

export const BackupManifestSchema = Type.Object({
  format: Type.Literal("sweephub-backup"),
  formatVersion: Type.Literal(1),
  kind: Type.Enum(BACKUP_KINDS),
  createdAt: Type.String(),
  hubVersion: Type.String(),
  schemaVersion: Type.Integer({ minimum: 0 }),
  files: Type.Array(Type.String()),
  database: Type.Record(Type.String(), Type.Object({ rows: Type.Integer(), sha256: Type.String() })),
});
export type BackupManifest = Static<typeof BackupManifestSchema>;

export class BackupError extends Error {
  constructor(
    readonly code: "BACKUP_TARGET_NOT_EMPTY" | "BACKUP_INVALID" | "BACKUP_TOO_NEW" | "BACKUP_NO_DATABASE",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "BackupError";
  }
}

export interface CreateBackupOptions {
  dataDir: string;
  /** Archive to write; its folder is created. */
  out: string;
  kind: BackupKind;
  hubVersion: string;
  /** The hub's open connection; without it the database file in dataDir is opened read-only. */
  db?: SqliteDatabase.Database;
  now?: () => number;
}

export interface BackupResult {
  file: string;
  manifest: BackupManifest;
}

/** Online backup: safe while the hub runs and writes (also from another process, e.g. `sweephub backup`). */
export async function createBackup(opts: CreateBackupOptions): Promise<BackupResult> {
  return withStaging(opts, async (staging) => {
    const snapshot = join(staging, DATABASE_FILE);
    await withSource(opts, (db) => db.backup(snapshot));
    return snapshot;
  });
}

/** Synchronous backup through an open connection nobody else writes to (see the file comment). */
export function createBackupSync(opts: CreateBackupOptions & { db: SqliteDatabase.Database }): BackupResult {
  const staging = stagingDir(opts.out);
  try {
    const snapshot = join(staging, DATABASE_FILE);
    opts.db.prepare("VACUUM INTO ?").run(snapshot);
    const manifest = finishStaging(opts, staging, snapshot);
    tar.c(
      { sync: true, gzip: true, portable: true, cwd: staging, file: `${opts.out}.partial` },
      archived(staging),
    );
    renameSync(`${opts.out}.partial`, opts.out);
    return { file: opts.out, manifest };
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(`${opts.out}.partial`, { force: true });
  }
}

async function withStaging(
  opts: CreateBackupOptions,
  snapshot: (staging: string) => Promise<string>,
): Promise<BackupResult> {
  const staging = stagingDir(opts.out);
  try {
    const manifest = finishStaging(opts, staging, await snapshot(staging));
    await tar.c({ gzip: true, portable: true, cwd: staging, file: `${opts.out}.partial` }, archived(staging));
    renameSync(`${opts.out}.partial`, opts.out);
    return { file: opts.out, manifest };
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(`${opts.out}.partial`, { force: true });
  }
}

async function withSource<T>(
  opts: CreateBackupOptions,
  use: (db: SqliteDatabase.Database) => Promise<T>,
): Promise<T> {
  if (opts.db) return use(opts.db);
  const file = join(opts.dataDir, DATABASE_FILE);
  if (!existsSync(file)) {
    throw new BackupError("BACKUP_NO_DATABASE", `There is no database to back up at ${file}`);
  }
  const db = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    return await use(db);
  } finally {
    db.close();
  }
}

function stagingDir(out: string): string {
  mkdirSync(dirname(out), { recursive: true, mode: 0o700 });
  return mkdtempSync(join(dirname(out), `.${basename(out)}.staging-`));
}

/** Makes the snapshot self-contained, copies the other data files, writes the manifest. */
function finishStaging(opts: CreateBackupOptions, staging: string, snapshot: string): BackupManifest {
  const db = new SqliteDatabase(snapshot);
  let manifest: BackupManifest;
  try {
    // One file, no -wal/-shm companions, whatever the live database uses.
    db.pragma("journal_mode = DELETE");
    manifest = {
      format: "sweephub-backup",
      formatVersion: 1,
      kind: opts.kind,
      createdAt: new Date((opts.now ?? Date.now)()).toISOString(),
      hubVersion: opts.hubVersion,
      schemaVersion: db.pragma("user_version", { simple: true }) as number,
      files: [],
      database: databaseChecksums(db),
    };
  } finally {
    db.close();
  }
  const outDir = resolve(dirname(opts.out));
  for (const entry of existsSync(opts.dataDir) ? readdirSync(opts.dataDir) : []) {
    const source = resolve(opts.dataDir, entry);
    if (EXCLUDED.has(entry) || entry.startsWith(".") || source === outDir) continue;
    const stat = lstatSync(source);
    if (!stat.isFile() && !stat.isDirectory()) continue;
    cpSync(source, join(staging, entry), {
      recursive: true,
      preserveTimestamps: true,
      // A backup folder configured inside the data folder under another name must not copy itself; only
      // regular files and folders are data (the demo's bridge socket, fifos and symlinks are not).
      filter: (src) => {
        const st = lstatSync(src);
        return resolve(src) !== outDir && (st.isFile() || st.isDirectory());
      },
    });
  }
  manifest.files = listFiles(staging).filter((f) => f !== MANIFEST_FILE);
  writeFileSync(join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  return manifest;
}

function archived(staging: string): string[] {
  return [
    MANIFEST_FILE,
    ...readdirSync(staging)
      .filter((e) => e !== MANIFEST_FILE)
      .sort(),
  ];
}

function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile()) out.push(relative(root, full).split("\\").join("/"));
    }
  };
  walk(root);
  return out.sort();
}

/** Reads and validates the manifest of an archive without extracting the rest. */
export async function readBackupManifest(file: string): Promise<BackupManifest> {
  let text = "";
  await tar.t({
    file,
    strict: true,
    filter: (path) => path === MANIFEST_FILE,
    onReadEntry: (entry) => {
      entry.on("data", (chunk: Buffer) => {
        text += chunk.toString("utf8");
      });
    },
  });
  return parseManifest(text, file);
}

function parseManifest(text: string, file: string): BackupManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BackupError("BACKUP_INVALID", `${file} is not a sweephub backup (no readable manifest.json)`);
  }
  if (!Value.Check(BackupManifestSchema, value)) {
    throw new BackupError("BACKUP_INVALID", `${file} is not a sweephub backup this version understands`);
  }
  return value;
}

/** Folders that count as empty: a fresh volume may carry lost+found. */
function isEmptyFolder(dir: string): boolean {
  return readdirSync(dir).every((e) => e === "lost+found");
}

/**
 * Restores an archive into `dataDir`, which must be empty or not exist. Everything is extracted into a
 * scratch folder inside it and verified (manifest, database integrity, checksums, schema not newer than this
 * hub) before the files move into place, so a bad archive leaves the folder empty.
 */
export async function restoreBackup(opts: { file: string; dataDir: string }): Promise<BackupManifest> {
  const dataDir = resolve(opts.dataDir);
  if (existsSync(dataDir)) {
    if (!lstatSync(dataDir).isDirectory()) {
      throw new BackupError("BACKUP_TARGET_NOT_EMPTY", `${dataDir} exists and is not a folder`);
    }
    if (!isEmptyFolder(dataDir)) {
      throw new BackupError(
        "BACKUP_TARGET_NOT_EMPTY",
        `${dataDir} is not empty. Restore only into an empty data folder: stop the hub, move the current ` +
          "folder aside (or choose a new one with SWEEPHUB_DATA) and run restore again.",
      );
    }
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const staging = mkdtempSync(join(dataDir, ".restore-"));
  try {
    try {
      await tar.x({
        file: opts.file,
        cwd: staging,
        strict: true,
        // Plain files and folders only: a link in an archive could point anywhere on the host.
        filter: (_path, entry) => "type" in entry && (entry.type === "File" || entry.type === "Directory"),
      });
    } catch (err) {
      throw new BackupError(
        "BACKUP_INVALID",
        `${opts.file} could not be read as a backup archive: ${(err as Error).message}`,
        { cause: err },
      );
    }
    const manifestPath = join(staging, MANIFEST_FILE);
    const manifest = parseManifest(
      existsSync(manifestPath) ? readFileSync(manifestPath, "utf8") : "",
      opts.file,
    );
    verifyDatabase(join(staging, DATABASE_FILE), manifest, opts.file);
    rmSync(manifestPath);
    for (const entry of readdirSync(staging)) renameSync(join(staging, entry), join(dataDir, entry));
    if (existsSync(join(dataDir, "keys"))) chmodSync(join(dataDir, "keys"), 0o700);
    return manifest;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function verifyDatabase(file: string, manifest: BackupManifest, archive: string): void {
  if (!existsSync(file)) throw new BackupError("BACKUP_INVALID", `${archive} has no database`);
  const latest = MIGRATIONS.at(-1)?.version ?? 0;
  if (manifest.schemaVersion > latest) {
    throw new BackupError(
      "BACKUP_TOO_NEW",
      `${archive} was made by a newer sweephub (database schema ${manifest.schemaVersion}; this version ` +
        `knows up to ${latest}). Restore it with that version or newer. Nothing was restored.`,
    );
  }
  let db: SqliteDatabase.Database | undefined;
  try {
    db = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
    const integrity = db.pragma("integrity_check", { simple: true });
    if (integrity !== "ok") throw new Error(`integrity check: ${String(integrity)}`);
    const differs = checksumDifferences(manifest.database, databaseChecksums(db));
    if (differs.length > 0) throw new Error(`contents differ from the manifest in ${differs.join(", ")}`);
  } catch (err) {
    throw new BackupError(
      "BACKUP_INVALID",
      `The database in ${archive} is damaged (${(err as Error).message}); nothing was restored`,
      { cause: err },
    );
  } finally {
    db?.close();
  }
}
