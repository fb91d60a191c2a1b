/**
 * Cleaning history, one row per robot job. Both calls are idempotent because the hub may see the
 * same start or finish twice (reconnect replays) or miss a start entirely (hub was down).
 */
import type { Database } from "./database.ts";

export interface CleanedRoom {
  id: string;
  areaM2: number;
}

export interface CleaningStarted {
  robotId: string;
  jobId: string;
  kind: string;
  /** Who started it: "robot" (its own schedule or button), "user", "schedule", ... */
  trigger?: string;
  startedAt: number;
}

export interface CleaningFinishedRecord {
  robotId: string;
  jobId: string;
  finishedAt: number;
  result: string;
  areaM2: number;
  durationS: number;
  rooms: CleanedRoom[];
  /** Only used when the start was missed; a recorded start keeps its kind. */
  kind?: string;
}

export interface CleaningSession {
  robotId: string;
  jobId: string;
  kind: string;
  trigger: string;
  startedAt: number;
  finishedAt: number | null;
  result: string | null;
  areaM2: number | null;
  durationS: number | null;
  rooms: CleanedRoom[];
}

interface SessionRow {
  robot_id: string;
  job_id: string;
  kind: string;
  trigger: string;
  started_at: number;
  finished_at: number | null;
  result: string | null;
  area_m2: number | null;
  duration_s: number | null;
  rooms: string;
}

export class CleaningRepository {
  private readonly stmts;

  constructor(db: Database) {
    this.stmts = {
      start: db.prepare(`
        INSERT INTO cleaning_sessions (robot_id, job_id, kind, "trigger", started_at)
        VALUES (@robotId, @jobId, @kind, @trigger, @startedAt)
        ON CONFLICT (robot_id, job_id) DO NOTHING`),
      // A missed start is reconstructed from the finish: it began durationS before it ended.
      finish: db.prepare(`
        INSERT INTO cleaning_sessions (robot_id, job_id, kind, started_at, finished_at, result, area_m2,
                                       duration_s, rooms)
        VALUES (@robotId, @jobId, @kind, @startedAt, @finishedAt, @result, @areaM2, @durationS, @rooms)
        ON CONFLICT (robot_id, job_id) DO UPDATE SET
          finished_at = excluded.finished_at, result = excluded.result, area_m2 = excluded.area_m2,
          duration_s = excluded.duration_s, rooms = excluded.rooms`),
      get: db.prepare<[string, string], SessionRow>(
        "SELECT * FROM cleaning_sessions WHERE robot_id = ? AND job_id = ?",
      ),
      list: db.prepare<[string, number, number], SessionRow>(`
        SELECT * FROM cleaning_sessions WHERE robot_id = ? AND started_at < ?
        ORDER BY started_at DESC, job_id DESC LIMIT ?`),
      deleteOlder: db.prepare("DELETE FROM cleaning_sessions WHERE coalesce(finished_at, started_at) < ?"),
    };
  }

  /** Records a job start; a repeat of the same job is ignored. The robot must be paired (foreign key). */
  recordStarted(s: CleaningStarted): CleaningSession {
    this.stmts.start.run({ ...s, trigger: s.trigger ?? "robot" });
    return this.get(s.robotId, s.jobId)!;
  }

  /** Records a job's end, creating the row if its start was missed. Repeats overwrite with the same data. */
  recordFinished(f: CleaningFinishedRecord): CleaningSession {
    this.stmts.finish.run({
      robotId: f.robotId,
      jobId: f.jobId,
      kind: f.kind ?? "unknown",
      startedAt: Math.round(f.finishedAt - f.durationS * 1000),
      finishedAt: f.finishedAt,
      result: f.result,
      areaM2: f.areaM2,
      durationS: f.durationS,
      rooms: JSON.stringify(f.rooms),
    });
    return this.get(f.robotId, f.jobId)!;
  }

  get(robotId: string, jobId: string): CleaningSession | undefined {
    const row = this.stmts.get.get(robotId, jobId);
    return row ? toSession(row) : undefined;
  }

  /** Newest first; `before` (exclusive, on startedAt) pages back through older sessions. */
  list(robotId: string, opts: { limit: number; before?: number }): CleaningSession[] {
    const limit = Math.max(0, Math.floor(opts.limit));
    return this.stmts.list.all(robotId, opts.before ?? Number.MAX_SAFE_INTEGER, limit).map(toSession);
  }

  /** Deletes sessions that ended (or, if unfinished, started) before the cutoff; returns how many. */
  deleteOlderThan(cutoffMs: number): number {
    return this.stmts.deleteOlder.run(cutoffMs).changes;
  }
}

function toSession(row: SessionRow): CleaningSession {
  return {
    robotId: row.robot_id,
    jobId: row.job_id,
    kind: row.kind,
    trigger: row.trigger,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    result: row.result,
    areaM2: row.area_m2,
    durationS: row.duration_s,
    rooms: JSON.parse(row.rooms) as CleanedRoom[],
  };
}
