/** Security notices: what a user should see on their next visit (new sign-in address, failures, robot identity). */
import type { Database } from "../store/database.ts";

export const NOTICE_KINDS = ["new_ip_login", "repeated_failures", "robot_identity_changed"] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

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
        INSERT INTO security_notices (user_id, kind, message, details, robot_id, created_at)
        VALUES (@userId, @kind, @message, @details, @robotId, @createdAt)`),
      open: db.prepare<[string, string, string], { id: number }>(`
        SELECT id FROM security_notices
        WHERE user_id = ? AND kind = ? AND coalesce(robot_id, '') = ? AND dismissed_at IS NULL`),
      list: db.prepare<[string, number], Row>(
        "SELECT * FROM security_notices WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ?",
      ),
      dismiss: db.prepare(
        "UPDATE security_notices SET dismissed_at = ? WHERE id = ? AND user_id = ? AND dismissed_at IS NULL",
      ),
      exists: db.prepare<[number, string], { id: number }>(
        "SELECT id FROM security_notices WHERE id = ? AND user_id = ?",
      ),
    };
  }

  /**
   * Adds a notice unless the same kind (for the same robot) is still undismissed: ten failed attempts should
   * not bury the user under ten notices.
   */
  add(n: Omit<NoticeRecord, "id" | "dismissedAt">): boolean {
    if (this.stmts.open.get(n.userId, n.kind, n.robotId ?? "")) return false;
    this.stmts.insert.run({ ...n, details: JSON.stringify(n.details) });
    return true;
  }

  list(userId: string, limit = 100): NoticeRecord[] {
    return this.stmts.list.all(userId, limit).map(toNotice);
  }

  dismiss(userId: string, id: number, now: number): boolean {
    if (!this.stmts.exists.get(id, userId)) return false;
    this.stmts.dismiss.run(now, id, userId);
    return true;
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
