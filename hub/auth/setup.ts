/**
 * Wiring of accounts, access, audit, notices and data rights (called from the composition root, hub/main.ts).
 * Two steps because the robot manager needs the command access hook and consent-aware history before it
 * exists, while data rights and invitations need the robot manager.
 */
import { join } from "node:path";
import { hasScope } from "../api/access.ts";
import type { AccessServices } from "../api/access-services.ts";
import { AuditLog } from "../audit/audit-log.ts";
import { AuditRepository } from "../audit/audit-repository.ts";
import type { Config } from "../config/load.ts";
import { DataRegistry } from "../core/data-registry.ts";
import { HubError } from "../core/errors.ts";
import type { EventBus } from "../core/event-bus.ts";
import type { Service } from "../core/service-controller.ts";
import type { Logger } from "../logging.ts";
import { RobotNotifications } from "../notifications/robot-notifications.ts";
import { ConsentAwareCleaningRepository } from "../privacy/consent-aware-cleaning.ts";
import { ConsentRepository } from "../privacy/consent-repository.ts";
import { registerCoreDataProviders } from "../privacy/core-data-providers.ts";
import { DataRights } from "../privacy/data-rights.ts";
import type { CommandAccess, RobotManager } from "../robots/robot-manager.ts";
import type { Database } from "../store/database.ts";
import { loadTls, type TlsMaterial } from "../tls/local-ca.ts";
import { AccountsService } from "./accounts-service.ts";
import { CredentialRepository } from "./credential-repository.ts";
import { GrantRepository } from "./grant-repository.ts";
import { InvitationRepository } from "./invitation-repository.ts";
import { InvitationService } from "./invitation-service.ts";
import { NoticeRepository } from "./notice-repository.ts";
import { isLoopback, OnboardingGate } from "./onboarding-gate.ts";
import { RiskGuard } from "./risk-guard.ts";
import { SecurityNotices } from "./security-notices.ts";
import { SignInService } from "./sign-in-service.ts";
import { UserRepository } from "./user-repository.ts";

export interface AccountsSetupOptions {
  config: Config;
  dataDir: string;
  db: Database;
  bus: EventBus;
  log: Logger;
  /** Monotonic clock for lockouts (default performance.now); tests inject a fake one. */
  monotonicNow?: () => number;
}

export interface AccountsSetup {
  /** Cleaning history that honours each robot's keepHistory consent. */
  cleaning: ConsentAwareCleaningRepository;
  commandAccess: CommandAccess;
  /** Features register their stored data here (docs/architecture.md "Data registry"). */
  registry: DataRegistry;
  services: Service[];
  /** Set by finish() when HTTPS is on. */
  tls: TlsMaterial | null;
  /** `rooms`: the hub's rooms of a robot with the names users gave them (maps), for notifications. */
  finish(robots: RobotManager, rooms?: RoomsOf): Promise<AccessServices>;
}

/** A robot's rooms as the hub keeps them (MapService.rooms). */
type RoomsOf = (robotId: string) => readonly { id: string; name: string }[];

export function setUpAccounts(o: AccountsSetupOptions): AccountsSetup {
  const { config, db, bus } = o;
  const log = o.log.child({ service: "accounts" });
  const users = new UserRepository(db);
  const grants = new GrantRepository(db);
  const credentials = new CredentialRepository(db);
  const notices = new NoticeRepository(db);
  const consent = new ConsentRepository(db);
  const audit = new AuditLog({
    repo: new AuditRepository(db),
    log: o.log.child({ service: "audit" }),
    retentionDays: config.audit.retentionDays,
  });
  const policy = {
    freeAttempts: config.accounts.freeAttempts,
    lockoutMs: config.accounts.lockoutSeconds * 1000,
    maxLockoutMs: config.accounts.maxLockoutSeconds * 1000,
    now: o.monotonicNow ?? (() => performance.now()),
  };
  const securityNotices = new SecurityNotices({ notices, users, grants, bus, log });
  let robotManager: RobotManager | null = null;
  let hubRooms: RoomsOf | null = null;
  const robotNotifications = new RobotNotifications({
    bus,
    notices: securityNotices,
    robots: () => {
      if (!robotManager) throw new Error("robot notifications started before the robots");
      return robotManager;
    },
    rooms: () => hubRooms,
    log: o.log.child({ service: "notifications" }),
  });
  const accounts = new AccountsService({ users, grants, credentials, audit, bus, log });
  const signIn = new SignInService({
    users,
    credentials,
    guard: new RiskGuard(policy, "sign-in"),
    notices: securityNotices,
    audit,
    bus,
    log,
    sessionDays: config.accounts.sessionDays,
  });
  const cleaning = new ConsentAwareCleaningRepository(db, consent);
  const registry = new DataRegistry();
  registerCoreDataProviders(registry, { db, cleaning, config, dataDir: o.dataDir });

  const commandAccess: CommandAccess = {
    authorize(actor, robotId) {
      if (actor.type !== "user") return;
      if (actor.scopes && !hasScope(actor.scopes, "control"))
        throw new HubError("token_scope", 'Commands need an API token with the "control" scope');
      if (!accounts.can(actor, robotId, "control"))
        throw new HubError("robot_access_denied", 'You do not have "control" access to this robot', {
          grant: "control",
        });
    },
    record(actor, robotId, command, errorCode) {
      audit.record({
        action: "robot.command",
        outcome: errorCode ? "failed" : "ok",
        actor,
        robotId,
        details: errorCode ? { command, error: errorCode } : { command },
      });
    },
  };

  const sweepSessions = setInterval(() => credentials.deleteExpiredSessions(Date.now()), 3_600_000);
  sweepSessions.unref();
  const setup: AccountsSetup = {
    cleaning,
    commandAccess,
    registry,
    tls: null,
    services: [
      { name: "audit", required: false, start: () => audit.start(), stop: () => audit.stop() },
      {
        name: "security-notices",
        required: false,
        start: () => securityNotices.start(),
        stop: () => {
          securityNotices.stop();
          clearInterval(sweepSessions);
        },
      },
      {
        name: "robot-notifications",
        required: false,
        start: () => robotNotifications.start(),
        stop: () => robotNotifications.stop(),
      },
    ],
    async finish(robots, rooms) {
      hubRooms = rooms ?? null;
      const tls = await loadTls(config.tls, o.dataDir, log);
      setup.tls = tls;
      if (!tls && !isLoopback(config.http.host) && config.http.host !== "localhost")
        log.warn(
          { host: config.http.host },
          "the hub is reachable from the network without HTTPS: passwords and sessions cross it unencrypted; " +
            "set tls.mode to local-ca (or custom)",
        );
      const onboarding = new OnboardingGate(o.dataDir, log);
      if (!accounts.hasOwner()) onboarding.prepare();
      robotManager = robots;
      const robotExists = (id: string) => robots.isPaired(id);
      return {
        accounts,
        signIn,
        users,
        notices,
        audit,
        onboarding,
        tls,
        // Twice the sign-in allowance: each robot already locks out wrong codes itself (and says so, which is
        // the clearer message); this bounds someone cycling through robots or addresses.
        pairingGuard: new RiskGuard({ ...policy, freeAttempts: policy.freeAttempts * 2 }, "pairing"),
        invitations: new InvitationService({
          invitations: new InvitationRepository(db),
          grants,
          accounts,
          guard: new RiskGuard(policy, "invitation code"),
          audit,
          defaultHours: config.accounts.invitationHours,
          robotExists,
        }),
        dataRights: new DataRights({
          registry,
          accounts,
          signIn,
          users,
          notices,
          consent,
          audit,
          robots,
          facts: {
            dataDir: o.dataDir,
            databasePath: join(o.dataDir, "sweephub.db"),
            auditRetentionDays: config.audit.retentionDays,
            sessionDays: config.accounts.sessionDays,
          },
        }),
      };
    },
  };
  return setup;
}
