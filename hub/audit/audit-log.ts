/**
 * The audit service: one `record()` for every part of the hub (sign-in, commands, reads of maps, history and
 * recordings, user and grant changes), and an hourly retention sweep (config `audit.retentionDays`).
 * Recording never throws: an audit failure is logged and must not fail the user's request.
 */
import type { Actor } from "../auth/actor.ts";
import type { Logger } from "../logging.ts";
import type { AuditOutcome, AuditRepository, NewAuditEntry } from "./audit-repository.ts";

export interface AuditEvent {
  action: string;
  outcome?: AuditOutcome;
  /** Null when nobody is signed in (a failed login); `anonymousName` then says what was tried. */
  actor: Actor | null;
  anonymousName?: string;
  subjectUserId?: string | null;
  robotId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditLogOptions {
  repo: AuditRepository;
  log: Logger;
  retentionDays: number;
  now?: () => number;
}

const HOUR = 3_600_000;

export class AuditLog {
  readonly #opts: AuditLogOptions;
  #timer: NodeJS.Timeout | null = null;

  constructor(options: AuditLogOptions) {
    this.#opts = options;
  }

  get repo(): AuditRepository {
    return this.#opts.repo;
  }

  start(): void {
    this.sweep();
    this.#timer = setInterval(() => this.sweep(), HOUR);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Deletes entries older than the retention period; returns how many. */
  sweep(): number {
    const cutoff = this.#now() - this.#opts.retentionDays * 24 * HOUR;
    try {
      const n = this.#opts.repo.deleteOlderThan(cutoff);
      if (n > 0) this.#opts.log.info({ deleted: n }, "deleted audit entries past retention");
      return n;
    } catch (err) {
      this.#opts.log.error({ err }, "audit retention sweep failed");
      return 0;
    }
  }

  record(e: AuditEvent): void {
    const a = e.actor;
    const entry: NewAuditEntry = {
      at: this.#now(),
      action: e.action,
      outcome: e.outcome ?? "ok",
      actorKind:
        a === null ? "anonymous" : a.type === "system" ? "system" : a.via === "token" ? "token" : "user",
      actorUserId: a?.type === "user" ? a.userId : null,
      actorName: a === null ? (e.anonymousName ?? "(anonymous)") : a.type === "user" ? a.username : a.name,
      credentialId: a?.type === "user" ? a.credentialId : null,
      subjectUserId: e.subjectUserId ?? null,
      robotId: e.robotId ?? null,
      ip: e.ip ?? (a?.type === "user" ? a.ip : null),
      userAgent: e.userAgent ?? (a?.type === "user" ? a.userAgent : null),
      details: e.details ?? {},
    };
    try {
      this.#opts.repo.insert(entry);
    } catch (err) {
      this.#opts.log.error({ err, action: e.action }, "could not write audit entry");
    }
  }

  #now(): number {
    return (this.#opts.now ?? Date.now)();
  }
}
