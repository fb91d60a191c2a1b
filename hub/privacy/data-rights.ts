/**
 * Data rights, self-service (docs/api.md "Privacy and data rights"): see everything the hub holds about you and
 * the robots you can see (access), download it as one zip (export), restrict what is kept (consent switches per
 * robot), delete a robot's data or unpair it, and read, from the actual configuration, what is stored where,
 * for how long and who can see it (privacy report). Other features join through the data registry.
 */
import { strToU8, zipSync } from "fflate";
import type { AuditLog } from "../audit/audit-log.ts";
import { asSeenBy } from "../audit/audit-repository.ts";
import { type AccountsService, ownAccount } from "../auth/accounts-service.ts";
import { isAdmin, type UserActor } from "../auth/actor.ts";
import type { NoticeRepository } from "../auth/notice-repository.ts";
import type { SignInService } from "../auth/sign-in-service.ts";
import type { UserRepository } from "../auth/user-repository.ts";
import type { DataRegistry, ExportFiles } from "../core/data-registry.ts";
import type { RobotManager } from "../robots/robot-manager.ts";
import type { Consent, ConsentRepository } from "./consent-repository.ts";

export interface DataRightsOptions {
  registry: DataRegistry;
  accounts: AccountsService;
  signIn: SignInService;
  users: UserRepository;
  notices: NoticeRepository;
  consent: ConsentRepository;
  audit: AuditLog;
  robots: RobotManager;
  /** Facts for the privacy report, from the running configuration. */
  facts: { dataDir: string; databasePath: string; auditRetentionDays: number; sessionDays: number };
  now?: () => number;
}

/** Most audit entries in an access report or export (the newest; the audit API pages through all). */
const AUDIT_EXPORT_LIMIT = 1000;

export class DataRights {
  readonly #o: DataRightsOptions;

  constructor(options: DataRightsOptions) {
    this.#o = options;
  }

  /** Where features register their stored data (hub/core/data-registry.ts). */
  get registry(): DataRegistry {
    return this.#o.registry;
  }

  /** Everything held about the user and the robots they can see (JSON). */
  access(actor: UserActor): Record<string, unknown> {
    const user = this.#o.accounts.get(actor.userId);
    const visible = this.#o.accounts.visibleRobots(actor);
    const robots = this.#o.robots
      .list()
      .filter((r) => visible === "*" || visible.has(r.id))
      .map((r) => ({
        id: r.id,
        name: r.name,
        model: r.model,
        yourAccess: this.#o.accounts.grantsFor(user.id, user.role, r.id),
        consent: this.#o.consent.get(r.id),
      }));
    return {
      account: ownAccount(user),
      sessions: this.#o.signIn.sessions(user.id).map(({ csrfHash: _, ...s }) => s),
      apiTokens: this.#o.signIn.tokens(user.id),
      signInAddresses: this.#o.users.knownIps(user.id),
      robotGrants: this.#o.accounts.memberGrants(user.id),
      securityNotices: this.#o.notices.list(user.id, 1000),
      robots,
      auditEntries: this.#o.audit.repo
        .query({ involvingUserId: user.id, limit: AUDIT_EXPORT_LIMIT })
        .map((e) => asSeenBy(e, user.id)),
    };
  }

  /** One zip: account data and own audit entries; for the owner also every robot's data from the registry. */
  async exportZip(actor: UserActor): Promise<Uint8Array> {
    const report = this.access(actor);
    const { auditEntries, ...account } = report;
    const files: ExportFiles = {
      "README.txt":
        "sweephub data export\n\naccount.json   your account, sessions, API tokens (no secrets), grants, notices\n" +
        "audit.json     audit entries about you or done by you (newest first)\n" +
        "robots/        (owner only) every robot's data: history, and whatever other features store\n" +
        "user-data/     data other features hold about you\n",
      "account.json": account,
      "audit.json": auditEntries as object,
    };
    for (const [name, data] of Object.entries(await this.#o.registry.exportUser(actor.userId)))
      files[`user-data/${name}`] = data;
    if (actor.role === "owner") {
      for (const robot of this.#o.robots.list()) {
        files[`robots/${robot.id}/robot.json`] = { ...robot, consent: this.#o.consent.get(robot.id) };
        for (const [name, data] of Object.entries(await this.#o.registry.exportRobot(robot.id)))
          files[`robots/${robot.id}/${name}`] = data;
      }
    }
    this.#o.audit.record({ action: "data.exported", actor, subjectUserId: actor.userId });
    const zipInput: Record<string, Uint8Array> = {};
    for (const [name, data] of Object.entries(files)) {
      zipInput[name] =
        data instanceof Uint8Array
          ? data
          : strToU8(typeof data === "string" ? data : JSON.stringify(data, null, 2));
    }
    return zipSync(zipInput, { level: 6, mtime: new Date((this.#o.now ?? Date.now)()) });
  }

  /** Other features' data about a user, then the user's audit trail is anonymised (account deletion). */
  async deleteUserData(userId: string): Promise<void> {
    await this.#o.registry.deleteUser(userId);
    this.#o.audit.repo.anonymiseUser(userId);
  }

  /** Deletes everything stored about a robot (history, maps, recordings ...) but keeps it paired. */
  async deleteRobotData(actor: UserActor, robotId: string): Promise<void> {
    this.#o.robots.get(robotId);
    await this.#o.registry.deleteRobot(robotId);
    this.#o.audit.record({ action: "robot.data_deleted", actor, robotId });
  }

  /** Unpairs: the robot forgets the hub, and the hub deletes the robot and everything stored about it. */
  async unpair(actor: UserActor, robotId: string): Promise<void> {
    this.#o.robots.get(robotId);
    await this.#o.registry.deleteRobot(robotId);
    await this.#o.robots.unpair(robotId);
    this.#o.audit.record({ action: "robot.unpaired", actor, robotId });
  }

  consent(robotId: string): Consent {
    this.#o.robots.get(robotId);
    return this.#o.consent.get(robotId);
  }

  setConsent(actor: UserActor, robotId: string, consent: Consent): Consent {
    this.#o.robots.get(robotId);
    const before = this.#o.consent.get(robotId);
    this.#o.consent.set(robotId, consent, actor.userId, (this.#o.now ?? Date.now)());
    this.#o.audit.record({
      action: "robot.consent_changed",
      actor,
      robotId,
      details: { before, after: consent },
    });
    return this.#o.consent.get(robotId);
  }

  /** What is stored, where, for how long, who can see it: built from the registry and the running config. */
  privacyReport(actor: UserActor): Record<string, unknown> {
    const f = this.#o.facts;
    const visible = this.#o.accounts.visibleRobots(actor);
    return {
      dataFolder: f.dataDir,
      database: f.databasePath,
      cloud:
        "none: sweephub sends nothing to any cloud service; robots are reached on the local network only",
      items: [
        {
          id: "accounts",
          description:
            "Accounts: user name, display name, password (argon2id hash only), optional email and phone (only if " +
            "given), preferences, role, and the addresses each user signed in from",
          location: `${f.databasePath} (tables users, known_login_ips)`,
          retention: "until the account is deleted",
          visibleTo: "the user; owner and admins see user names, display names and roles only",
        },
        {
          id: "sessions-and-tokens",
          description:
            "Sign-in sessions (address, browser, times) and API tokens (name, scopes, last use); secrets are stored " +
            "as hashes only",
          location: `${f.databasePath} (tables auth_sessions, api_tokens)`,
          retention: `sessions end ${f.sessionDays} days after last use; tokens until revoked or expired`,
          visibleTo: "the user",
        },
        {
          id: "audit-log",
          description:
            "Audit log: sign-ins (success and failure, with address and browser), token use, reads of maps, " +
            "history and recordings, every command, and changes to users, grants and settings",
          location: `${f.databasePath} (table audit_log)`,
          retention: `${f.auditRetentionDays} days (audit.retentionDays); entries of deleted users are anonymised`,
          visibleTo: "owner and admins; every user sees entries about themselves",
        },
        {
          id: "security-notices",
          description:
            "Notifications: security notices (new sign-in address, repeated failures, robot identity changed) and robot notifications (cleaning finished, robot needs attention, part due)",
          location: `${f.databasePath} (table security_notices)`,
          retention: "until the account is deleted",
          visibleTo: "the user they are for",
        },
        ...this.#o.registry.list().map((p) => ({
          id: p.id,
          description: p.description,
          location: p.location,
          retention: p.retention,
          visibleTo: p.visibleTo,
        })),
      ],
      consent: this.#o.robots
        .list()
        .filter((r) => visible === "*" || visible.has(r.id))
        .map((r) => ({ robotId: r.id, robotName: r.name, ...this.#o.consent.get(r.id) })),
      yourRights: {
        access: "GET /api/me/data",
        export: "GET /api/me/export (zip)",
        correct: "PATCH /api/me",
        restrict: "PUT /api/robots/{robotId}/consent (owner and admins)",
        deleteAccount: "DELETE /api/me (the owner transfers ownership first)",
        deleteRobotData: "DELETE /api/robots/{robotId}/data (owner and admins)",
        unpair: "DELETE /api/robots/{robotId} (owner and admins)",
      },
      canManage: isAdmin(actor.role),
    };
  }
}
