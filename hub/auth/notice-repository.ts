/**
 * Notifications waiting for a user (docs/architecture.md "Notifications"): security notices (new sign-in
 * address, failures, robot identity) and robot notifications (a run finished, a robot needs attention, a part
 * is due). Stored in the `security_notices` table, which predates the robot kinds.
 */
import type { Database } from "../store/database.ts";

export const SECURITY_NOTICE_KINDS = ["new_ip_login", "repeated_failures", "robot_identity_changed"] as const;
export const ROBOT_NOTICE_KINDS = ["cleaning_finished", "robot_attention", "consumable_due"] as const;
export const NOTICE_KINDS = [...SECURITY_NOTICE_KINDS, ...ROBOT_NOTICE_KINDS] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
export type RobotNoticeKind = (typeof ROBOT_NOTICE_KINDS)[number];

export interface NoticeRecord {
  id: number;
  userId: string;
  kind: NoticeKind;
  message: string;
  details: Record<string, unknown>;
  robotId: string | null;
  createdAt: number;
  dismissedAt: number | null;
}

/**
 * What makes two notices the same: `open` (the default) suppresses a notice while one of the same kind, robot
 * and key is undismissed; `once` suppresses it if one with that key was ever raised (one notice per cleaning
 * run, even after dismissal).
 */
export interface NoticeDedup {
  key: string | null;
  scope: "open" | "once";
}

interface Row {
  id: number;
  user_id: string;
  kind: NoticeKind;
  message: string;
  details: string;
  robot_id: string | null;
  created_at: number;
  dismissed_at: number | null;
}

export class NoticeRepository {
  private readonly stmts;

  constructor(db: Database) {
    this.stmts = {
      insert: db.prepare(`
        INSERT INTO security_notices (user_id, kind, message, details, robot_id, created_at, event_key)
        VALUES (@userId, @kind, @message, @details, @robotId, @createdAt, @eventKey)`),
      open: db.prepare<[string, string, string, string], { id: number }>(`
        SELECT id FROM security_notices
        WHERE user_id = ? AND kind = ? AND coalesce(robot_id, '') = ? AND coalesce(event_key, '') = ?
          AND dismissed_at IS NULL`),
      ever: db.prepare<[string, string, string, string], { id: number }>(`
        SELECT id FROM security_notices
        WHERE user_id = ? AND kind = ? AND coalesce(robot_id, '') = ? AND coalesce(event_key, '') = ?`),
      get: db.prepare<[number], Row>("SELECT * FROM security_notices WHERE id = ?"),
      list: db.prepare<[string, number], Row>(
        "SELECT * FROM security_notices WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ?",
      ),
      unread: db.prepare<[string], { n: number }>(
        "SELECT count(*) AS n FROM security_notices WHERE user_id = ? AND dismissed_at IS NULL",
      ),
      dismiss: db.prepare(
        "UPDATE security_notices SET dismissed_at = ? WHERE id = ? AND user_id = ? AND dismissed_at IS NULL",
      ),
      dismissAll: db.prepare(
        "UPDATE security_notices SET dismissed_at = ? WHERE user_id = ? AND dismissed_at IS NULL",
      ),
      exists: db.prepare<[number, string], { id: number }>(
        "SELECT id FROM security_notices WHERE id = ? AND user_id = ?",
      ),
    };
  }

  /**
   * Adds a notice unless the same one is already there (see NoticeDedup): ten failed attempts should not bury
   * the user under ten notices. Returns the stored notice, or null when it was a duplicate.
   */
  add(
    n: Omit<NoticeRecord, "id" | "dismissedAt">,
    dedup: NoticeDedup = { key: null, scope: "open" },
  ): NoticeRecord | null {
    const same = dedup.scope === "once" ? this.stmts.ever : this.stmts.open;
    if (same.get(n.userId, n.kind, n.robotId ?? "", dedup.key ?? "")) return null;
    const { lastInsertRowid } = this.stmts.insert.run({
      ...n,
      details: JSON.stringify(n.details),
      eventKey: dedup.key,
    });
    const row = this.stmts.get.get(Number(lastInsertRowid));
    return row ? toNotice(row) : null;
  }

  list(userId: string, limit = 100): NoticeRecord[] {
    return this.stmts.list.all(userId, limit).map(toNotice);
  }

  unread(userId: string): number {
    return this.stmts.unread.get(userId)?.n ?? 0;
  }

  dismiss(userId: string, id: number, now: number): boolean {
    if (!this.stmts.exists.get(id, userId)) return false;
    this.stmts.dismiss.run(now, id, userId);
    return true;
  }

  /** Dismisses every open notice of the user; returns how many. */
  dismissAll(userId: string, now: number): number {
    return this.stmts.dismissAll.run(now, userId).changes;
  }
}

function toNotice(r: Row): NoticeRecord {
  return {
    id: r.id,
    userId: r.user_id,
    kind: r.kind,
    message: r.message,
    details: JSON.parse(r.details) as Record<string, unknown>,
    robotId: r.robot_id,
    createdAt: r.created_at,
    dismissedAt: r.dismissed_at,
  };
}
