/** The audit log table: append, filter, anonymise a deleted user, and delete by age. */
import Type, { type Static } from "typebox";
import type { Database } from "../store/database.ts";

export const AUDIT_OUTCOMES = ["ok", "denied", "failed"] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Type.Number(),
  action: Type.String({ description: "e.g. auth.login, robot.command, history.read (docs/api.md)" }),
  outcome: Type.Enum(AUDIT_OUTCOMES),
  actorKind: Type.String({ description: "user, token, system or anonymous" }),
  actorUserId: Type.Union([Type.String(), Type.Null()]),
  actorName: Type.String(),
  credentialId: Type.Union([Type.String(), Type.Null()]),
  subjectUserId: Type.Union([Type.String(), Type.Null()]),
  robotId: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
});
export type AuditEntry = Static<typeof AuditEntrySchema>;

export type NewAuditEntry = Omit<AuditEntry, "id">;

/**
 * An entry as the user it concerns sees it: when someone else (the owner, an admin) acted on their account, who
 * it was and from where is that other person's data, so only the action and its role in it remain.
 * Anonymous actors (failed sign-ins on the account) keep their address: that is what the user needs to know.
 */
export function asSeenBy(entry: AuditEntry, userId: string): AuditEntry {
  if (entry.actorUserId === null || entry.actorUserId === userId) return entry;
  return {
    ...entry,
    actorUserId: null,
    actorName: "(another user)",
    credentialId: null,
    ip: null,
    userAgent: null,
  };
}

export interface AuditQuery {
  /** Entries done by this user or about this user (what a user sees of their own). */
  involvingUserId?: string;
  actorUserId?: string;
  robotId?: string;
  /** Exact action, or a prefix ending in "." (e.g. "auth."). */
  action?: string;
  outcome?: AuditOutcome;
  from?: number;
  to?: number;
  /** Paging: entries with a smaller id. */
  before?: number;
  limit: number;
}

interface Row {
  id: number;
  at: number;
  action: string;
  outcome: AuditOutcome;
  actor_kind: string;
  actor_user_id: string | null;
  actor_name: string;
  credential_id: string | null;
  subject_user_id: string | null;
  robot_id: string | null;
  ip: string | null;
  user_agent: string | null;
  details: string;
}

export class AuditRepository {
  private readonly stmts;

  constructor(private readonly db: Database) {
    this.stmts = {
      insert: db.prepare(`
        INSERT INTO audit_log (at, action, outcome, actor_kind, actor_user_id, actor_name, credential_id,
                               subject_user_id, robot_id, ip, user_agent, details)
        VALUES (@at, @action, @outcome, @actorKind, @actorUserId, @actorName, @credentialId, @subjectUserId,
                @robotId, @ip, @userAgent, @details)`),
      deleteOlder: db.prepare("DELETE FROM audit_log WHERE at < ?"),
      anonymiseActor: db.prepare(`
        UPDATE audit_log SET actor_user_id = NULL, actor_name = '(deleted user)', credential_id = NULL,
                             ip = NULL, user_agent = NULL
        WHERE actor_user_id = ?`),
      anonymiseSubject: db.prepare("UPDATE audit_log SET subject_user_id = NULL WHERE subject_user_id = ?"),
      deleteRobot: db.prepare("DELETE FROM audit_log WHERE robot_id = ?"),
    };
  }

  insert(e: NewAuditEntry): void {
    this.stmts.insert.run({ ...e, details: JSON.stringify(e.details) });
  }

  query(q: AuditQuery): AuditEntry[] {
    const where: string[] = [];
    const args: Record<string, unknown> = { limit: Math.max(1, Math.min(1000, Math.floor(q.limit))) };
    if (q.involvingUserId !== undefined) {
      where.push("(actor_user_id = @involving OR subject_user_id = @involving)");
      args.involving = q.involvingUserId;
    }
    if (q.actorUserId !== undefined) {
      where.push("actor_user_id = @actor");
      args.actor = q.actorUserId;
    }
    if (q.robotId !== undefined) {
      where.push("robot_id = @robot");
      args.robot = q.robotId;
    }
    if (q.action !== undefined) {
      if (q.action.endsWith(".")) {
        where.push("substr(action, 1, length(@action)) = @action");
      } else where.push("action = @action");
      args.action = q.action;
    }
    if (q.outcome !== undefined) {
      where.push("outcome = @outcome");
      args.outcome = q.outcome;
    }
    if (q.from !== undefined) {
      where.push("at >= @from");
      args.from = q.from;
    }
    if (q.to !== undefined) {
      where.push("at < @to");
      args.to = q.to;
    }
    if (q.before !== undefined) {
      where.push("id < @before");
      args.before = q.before;
    }
    const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
                 ORDER BY id DESC LIMIT @limit`;
    return (this.db.prepare(sql).all(args) as Row[]).map(toEntry);
  }

  deleteOlderThan(cutoff: number): number {
    return this.stmts.deleteOlder.run(cutoff).changes;
  }

  /** A deleted user's entries stay (the household's security record) but no longer say who or from where. */
  anonymiseUser(userId: string): void {
    this.db.transaction(() => {
      this.stmts.anonymiseActor.run(userId);
      this.stmts.anonymiseSubject.run(userId);
    })();
  }

  deleteRobot(robotId: string): number {
    return this.stmts.deleteRobot.run(robotId).changes;
  }
}

function toEntry(r: Row): AuditEntry {
  return {
    id: r.id,
    at: r.at,
    action: r.action,
    outcome: r.outcome,
    actorKind: r.actor_kind,
    actorUserId: r.actor_user_id,
    actorName: r.actor_name,
    credentialId: r.credential_id,
    subjectUserId: r.subject_user_id,
    robotId: r.robot_id,
    ip: r.ip,
    userAgent: r.user_agent,
    details: JSON.parse(r.details) as Record<string, unknown>,
  };
}
