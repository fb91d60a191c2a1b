/**
 * Accounts and who may do what: onboarding of the owner, profiles, passwords, roles, ownership transfer,
 * account deletion, and per-robot grants. Every change is audited, and every change that narrows someone's
 * access is announced on the bus (`accessChanged`) so their live connections re-check at once.
 */
import type { AuditLog } from "../audit/audit-log.ts";
import { HubError } from "../core/errors.ts";
import type { EventBus } from "../core/event-bus.ts";
import type { Logger } from "../logging.ts";
import { type Actor, isAdmin, type RobotGrant, type Role, type UserActor } from "./actor.ts";
import type { CredentialRepository } from "./credential-repository.ts";
import {
  ALL_GRANTS,
  type GrantRepository,
  type GrantSet,
  NO_GRANTS,
  normalizeGrants,
} from "./grant-repository.ts";
import { hashPassword, passwordProblems, verifyPassword } from "./passwords.ts";
import { newId } from "./secrets.ts";
import {
  DEFAULT_PREFERENCES,
  type Preferences,
  type PreferencesChange,
  type ProfileChange,
  type UserRecord,
  type UserRepository,
} from "./user-repository.ts";

export interface NewAccount {
  username: string;
  password: string;
  displayName?: string;
  email?: string | null;
  phone?: string | null;
  preferences?: PreferencesChange;
}

export interface AccountsServiceOptions {
  users: UserRepository;
  grants: GrantRepository;
  credentials: CredentialRepository;
  audit: AuditLog;
  bus: EventBus;
  log: Logger;
  now?: () => number;
}

/** What the API shows of a user to themselves (everything but the password hash). */
export type OwnAccount = Omit<UserRecord, "passwordHash">;

/** What admins see of other users: data minimisation, no email or phone. */
export interface UserSummary {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  createdAt: number;
}

export const ownAccount = ({ passwordHash: _, ...rest }: UserRecord): OwnAccount => rest;
export const userSummary = (u: UserRecord): UserSummary => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  createdAt: u.createdAt,
});

export class AccountsService {
  readonly #o: AccountsServiceOptions;

  constructor(options: AccountsServiceOptions) {
    this.#o = options;
  }

  hasOwner(): boolean {
    return this.#o.users.owner() !== undefined;
  }

  get(userId: string): UserRecord {
    const u = this.#o.users.get(userId);
    if (!u) throw new HubError("user_not_found");
    return u;
  }

  list(): UserRecord[] {
    return this.#o.users.list();
  }

  /** Creates the owner; only while there is none (the route also checks, this closes the race). */
  async onboard(input: NewAccount, ctx: { ip: string; userAgent: string }): Promise<UserRecord> {
    if (this.hasOwner()) throw new HubError("already_onboarded");
    const user = await this.createUser(input, "owner");
    this.#o.audit.record({
      action: "auth.onboarding",
      actor: null,
      anonymousName: user.username,
      subjectUserId: user.id,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
    });
    return user;
  }

  /** Validates and stores a new account (onboarding, invitations). */
  async createUser(input: NewAccount, role: Role): Promise<UserRecord> {
    const problems = passwordProblems(input.password, { username: input.username });
    if (problems.length) throw new HubError("weak_password", problems.join(". "), { problems });
    if (this.#o.users.byUsername(input.username)) throw new HubError("username_taken");
    const passwordHash = await hashPassword(input.password);
    // Checked again after the slow hash: another request may have taken the name or the ownership meanwhile.
    if (this.#o.users.byUsername(input.username)) throw new HubError("username_taken");
    if (role === "owner" && this.hasOwner()) throw new HubError("already_onboarded");
    const now = this.#now();
    const user: UserRecord = {
      id: newId(),
      username: input.username,
      passwordHash,
      displayName: input.displayName?.trim() || input.username,
      email: emptyToNull(input.email),
      phone: emptyToNull(input.phone),
      role,
      preferences: mergePreferences(DEFAULT_PREFERENCES, input.preferences),
      createdAt: now,
      updatedAt: now,
      passwordChangedAt: now,
    };
    this.#o.users.insert(user);
    this.#o.log.info({ userId: user.id, role }, "account created");
    return user;
  }

  updateProfile(
    actor: UserActor,
    change: Omit<ProfileChange, "preferences"> & { preferences?: PreferencesChange },
  ): UserRecord {
    const user = this.get(actor.userId);
    const next: ProfileChange = {};
    if (change.displayName !== undefined) next.displayName = change.displayName.trim() || user.username;
    if (change.email !== undefined) next.email = emptyToNull(change.email);
    if (change.phone !== undefined) next.phone = emptyToNull(change.phone);
    if (change.preferences !== undefined)
      next.preferences = mergePreferences(user.preferences, change.preferences);
    const updated = this.#o.users.updateProfile(user.id, next, this.#now());
    this.#o.audit.record({
      action: "user.profile_updated",
      actor,
      subjectUserId: user.id,
      details: { fields: Object.keys(next) },
    });
    return updated;
  }

  /** Needs the current password; signs out every other session and revokes nothing else (tokens stay). */
  async changePassword(actor: UserActor, current: string, next: string): Promise<void> {
    const user = this.get(actor.userId);
    if (!(await verifyPassword(user.passwordHash, current))) {
      this.#o.audit.record({
        action: "user.password_changed",
        outcome: "failed",
        actor,
        subjectUserId: user.id,
      });
      throw new HubError("invalid_credentials", "The current password is wrong");
    }
    await this.setPassword(user.id, next, actor.via === "session" ? actor.credentialId : "");
    this.#o.audit.record({ action: "user.password_changed", actor, subjectUserId: user.id });
  }

  /** Sets a password (also for `sweephub reset-password`); ends all sessions except `keepSessionId`. */
  async setPassword(userId: string, password: string, keepSessionId = ""): Promise<void> {
    const user = this.get(userId);
    const problems = passwordProblems(password, { username: user.username });
    if (problems.length) throw new HubError("weak_password", problems.join(". "), { problems });
    this.#o.users.setPassword(userId, await hashPassword(password), this.#now());
    this.#o.credentials.deleteSessionsOf(userId, keepSessionId);
    this.#o.bus.emit("accessChanged", { userId });
  }

  setRole(actor: UserActor, userId: string, role: "admin" | "member"): UserRecord {
    const target = this.get(userId);
    this.#assertMayManage(actor, target);
    // Same rule as invitations: only the owner makes admins.
    if (role === "admin" && actor.role !== "owner")
      throw new HubError("forbidden", "Only the owner can make admins");
    if (target.role === role) return target;
    this.#o.users.setRole(userId, role, this.#now());
    this.#o.audit.record({
      action: "user.role_changed",
      actor,
      subjectUserId: userId,
      details: { from: target.role, to: role },
    });
    this.#o.bus.emit("accessChanged", { userId });
    return this.get(userId);
  }

  async transferOwnership(actor: UserActor, toUserId: string, password: string): Promise<void> {
    const owner = this.get(actor.userId);
    if (owner.role !== "owner") throw new HubError("forbidden");
    if (!(await verifyPassword(owner.passwordHash, password)))
      throw new HubError("invalid_credentials", "The password is wrong");
    if (toUserId === owner.id) throw new HubError("invalid_request", "You are already the owner");
    this.get(toUserId);
    this.#o.users.transferOwnership(owner.id, toUserId, this.#now());
    this.#o.audit.record({ action: "user.ownership_transferred", actor, subjectUserId: toUserId });
    this.#o.bus.emit("accessChanged", { userId: owner.id });
    this.#o.bus.emit("accessChanged", { userId: toUserId });
  }

  /**
   * Deletes an account: its sessions, tokens, grants and notices go with it (foreign keys), and its audit entries
   * are anonymised. `deleteData` runs the data registry's per-user deletion (other features' data) first.
   */
  async deleteUser(
    actor: UserActor,
    userId: string,
    deleteData: (userId: string) => Promise<void>,
  ): Promise<void> {
    const target = this.get(userId);
    if (target.role === "owner") {
      throw new HubError(userId === actor.userId ? "owner_must_transfer" : "owner_protected");
    }
    if (userId !== actor.userId) this.#assertMayManage(actor, target);
    await deleteData(userId);
    this.#o.users.remove(userId);
    this.#o.audit.record({
      action: "user.deleted",
      actor: userId === actor.userId ? null : actor,
      anonymousName: "(deleted user)",
      subjectUserId: null,
      details: { self: userId === actor.userId, role: target.role },
    });
    this.#o.bus.emit("accessChanged", { userId });
  }

  // --- Grants -------------------------------------------------------------------------------------------

  /** A user's access to a robot: owners and admins have all of it, members what they were granted. */
  grantsFor(userId: string, role: Role, robotId: string): GrantSet {
    return isAdmin(role) ? ALL_GRANTS : this.#o.grants.get(userId, robotId);
  }

  can(actor: Actor, robotId: string, grant: RobotGrant): boolean {
    if (actor.type === "system") return true;
    return this.grantsFor(actor.userId, actor.role, robotId)[grant];
  }

  /** "*" for owners, admins and the hub itself; otherwise the robots the member may view. */
  visibleRobots(actor: Actor): "*" | Set<string> {
    if (actor.type === "system" || isAdmin(actor.role)) return "*";
    return new Set(this.#o.grants.ofUser(actor.userId).map((g) => g.robotId));
  }

  memberGrants(userId: string): { robotId: string; grants: GrantSet }[] {
    return this.#o.grants.ofUser(userId).map((g) => ({
      robotId: g.robotId,
      grants: { view: g.view, control: g.control, camera: g.camera },
    }));
  }

  setGrants(actor: UserActor, userId: string, robotId: string, grants: GrantSet): GrantSet {
    const target = this.get(userId);
    if (isAdmin(target.role))
      throw new HubError("invalid_request", "Owners and admins can use every robot; grants are for members");
    const before = this.#o.grants.get(userId, robotId);
    const next = normalizeGrants(grants);
    this.#o.grants.set(userId, robotId, next, actor.userId, this.#now());
    this.#o.audit.record({
      action: "grant.changed",
      actor,
      subjectUserId: userId,
      robotId,
      details: { before, after: next },
    });
    this.#o.bus.emit("accessChanged", { userId });
    return next.view ? next : NO_GRANTS;
  }

  #assertMayManage(actor: UserActor, target: UserRecord): void {
    if (target.role === "owner") throw new HubError("owner_protected");
    if (target.id === actor.userId) throw new HubError("invalid_request", "You cannot change your own role");
    if (target.role === "admin" && actor.role !== "owner")
      throw new HubError("forbidden", "Only the owner can change or remove admins");
  }

  #now(): number {
    return (this.#o.now ?? Date.now)();
  }
}

function emptyToNull(v: string | null | undefined): string | null {
  if (v === undefined || v === null) return null;
  const t = v.trim();
  return t === "" ? null : t;
}

function mergePreferences(base: Preferences, change: PreferencesChange | undefined): Preferences {
  if (!change) return base;
  return {
    ...base,
    ...change,
    notifications: { ...base.notifications, ...(change.notifications ?? {}) },
  };
}
