/**
 * Signing in and the credentials that prove it: cookie sessions (server-side records, sliding expiry, a CSRF
 * token each) and long-lived API tokens (scoped, revocable, last use recorded). Secrets are returned once and
 * stored as hashes. Failed sign-ins feed the risk guard and raise security notices.
 */
import type { AuditLog } from "../audit/audit-log.ts";
import { HubError } from "../core/errors.ts";
import type { EventBus } from "../core/event-bus.ts";
import type { Logger } from "../logging.ts";
import type { TokenScope, UserActor } from "./actor.ts";
import type { CredentialRepository, SessionRecord, TokenRecord } from "./credential-repository.ts";
import { verifyDummy, verifyPassword } from "./passwords.ts";
import type { RiskGuard } from "./risk-guard.ts";
import { hashSecret, newId, newSecret } from "./secrets.ts";
import type { SecurityNotices } from "./security-notices.ts";
import type { UserRecord, UserRepository } from "./user-repository.ts";

export interface ClientInfo {
  ip: string;
  userAgent: string;
}

export interface NewSession {
  /** Goes into the httpOnly cookie; never stored. */
  secret: string;
  /** Sent back in X-CSRF-Token on cookie-authenticated writes. */
  csrfToken: string;
  session: SessionRecord;
}

export interface SignInServiceOptions {
  users: UserRepository;
  credentials: CredentialRepository;
  guard: RiskGuard;
  notices: SecurityNotices;
  audit: AuditLog;
  bus: EventBus;
  log: Logger;
  sessionDays: number;
  now?: () => number;
}

const DAY = 86_400_000;
/** Last-use times are written at most this often per credential (a dashboard polls; SQLite need not). */
const TOUCH_EVERY_MS = 60_000;
/** A token's use is audited when it was unused this long, or used from a new address. */
const TOKEN_AUDIT_EVERY_MS = 3_600_000;

export class SignInService {
  readonly #o: SignInServiceOptions;

  constructor(options: SignInServiceOptions) {
    this.#o = options;
  }

  async login(
    username: string,
    password: string,
    client: ClientInfo,
  ): Promise<{ user: UserRecord } & NewSession> {
    this.#o.guard.check(client.ip, username);
    const user = this.#o.users.byUsername(username);
    const ok = user ? await verifyPassword(user.passwordHash, password) : await verifyDummy(password);
    if (!user || !ok) {
      const locked = this.#o.guard.failure(client.ip, username);
      this.#o.audit.record({
        action: "auth.login",
        outcome: "failed",
        actor: null,
        anonymousName: username.slice(0, 64),
        subjectUserId: user?.id ?? null,
        ip: client.ip,
        userAgent: client.userAgent,
      });
      if (user && locked) {
        this.#o.notices.raise(
          user.id,
          "repeated_failures",
          `Several failed sign-in attempts on your account (latest from ${client.ip}); sign-in was paused for a ` +
            "while. If this was not you, choose a stronger password.",
          { ip: client.ip, userAgent: client.userAgent },
        );
      }
      throw new HubError("invalid_credentials");
    }
    this.#o.guard.success(client.ip, username);
    const created = this.startSession(user, client);
    if (this.#o.users.rememberIp(user.id, client.ip, this.#now())) {
      this.#o.notices.raise(
        user.id,
        "new_ip_login",
        `New sign-in to your account from ${client.ip} (${client.userAgent || "unknown browser"}). If this was ` +
          "not you, sign out that session and change your password.",
        { ip: client.ip, userAgent: client.userAgent, sessionId: created.session.id },
      );
    }
    this.#o.audit.record({
      action: "auth.login",
      actor: this.#actorFor(user, "session", created.session.id, null, client),
      subjectUserId: user.id,
    });
    return { user, ...created };
  }

  /** The sign-in lockout also guards other guessable secrets typed at the door (the onboarding code). */
  checkGuard(ip: string): void {
    this.#o.guard.check(ip);
  }

  countFailure(ip: string): void {
    this.#o.guard.failure(ip);
  }

  /** Re-authentication before destructive steps (deleting the account); counts against the lockout. */
  async verifyOwnPassword(actor: UserActor, password: string): Promise<void> {
    this.#o.guard.check(actor.ip, actor.username);
    const user = this.#o.users.get(actor.userId);
    if (!user || !(await verifyPassword(user.passwordHash, password))) {
      this.#o.guard.failure(actor.ip, actor.username);
      throw new HubError("invalid_credentials", "The password is wrong");
    }
  }

  /** A new session for a user who just proved who they are (login, onboarding, accepted invitation). */
  startSession(user: UserRecord, client: ClientInfo): NewSession {
    const now = this.#now();
    const secret = newSecret("shs");
    const csrfToken = newSecret("shc");
    const session: SessionRecord = {
      id: newId(),
      userId: user.id,
      csrfHash: hashSecret(csrfToken),
      createdAt: now,
      lastUsedAt: now,
      expiresAt: now + this.#o.sessionDays * DAY,
      ip: client.ip,
      userAgent: client.userAgent.slice(0, 512),
    };
    this.#o.credentials.insertSession({ ...session, tokenHash: hashSecret(secret) });
    if (this.#o.users.knownIps(user.id).length === 0) this.#o.users.rememberIp(user.id, client.ip, now);
    return { secret, csrfToken, session };
  }

  /** The session's user, or null if the cookie is unknown, expired or the user is gone. */
  authenticateSession(
    secret: string,
    client: ClientInfo,
  ): { actor: UserActor; session: SessionRecord; renewed: boolean } | null {
    const session = this.#o.credentials.sessionByHash(hashSecret(secret));
    const now = this.#now();
    if (!session) return null;
    if (session.expiresAt <= now) {
      this.#o.credentials.deleteSession(session.id, session.userId);
      return null;
    }
    const user = this.#o.users.get(session.userId);
    if (!user) return null;
    const renewed = now - session.lastUsedAt >= TOUCH_EVERY_MS;
    if (renewed) {
      session.expiresAt = now + this.#o.sessionDays * DAY;
      this.#o.credentials.touchSession(session.id, now, session.expiresAt);
    }
    return { actor: this.#actorFor(user, "session", session.id, null, client), session, renewed };
  }

  authenticateToken(secret: string, client: ClientInfo): UserActor | null {
    const token = this.#o.credentials.tokenByHash(hashSecret(secret));
    const now = this.#now();
    if (!token || (token.expiresAt !== null && token.expiresAt <= now)) return null;
    const user = this.#o.users.get(token.userId);
    if (!user) return null;
    const actor = this.#actorFor(user, "token", token.id, token.scopes, client);
    const stale = token.lastUsedAt === null || now - token.lastUsedAt >= TOUCH_EVERY_MS;
    if (stale || token.lastUsedIp !== client.ip) {
      if (
        token.lastUsedAt === null ||
        now - token.lastUsedAt >= TOKEN_AUDIT_EVERY_MS ||
        token.lastUsedIp !== client.ip
      )
        this.#o.audit.record({
          action: "token.used",
          actor,
          subjectUserId: user.id,
          details: { name: token.name },
        });
      this.#o.credentials.touchToken(token.id, now, client.ip);
    }
    return actor;
  }

  /** Whether a live connection's credential still stands (used after `accessChanged`). */
  isValid(actor: UserActor): boolean {
    const user = this.#o.users.get(actor.userId);
    if (!user || user.role !== actor.role) return false;
    if (actor.via === "session") {
      const s = this.#o.credentials.session(actor.credentialId);
      return s !== undefined && s.expiresAt > this.#now();
    }
    const t = this.#o.credentials.token(actor.credentialId);
    return t !== undefined && (t.expiresAt === null || t.expiresAt > this.#now());
  }

  logout(actor: UserActor): void {
    if (actor.via !== "session") return;
    this.#o.credentials.deleteSession(actor.credentialId, actor.userId);
    this.#o.audit.record({ action: "auth.logout", actor, subjectUserId: actor.userId });
    this.#o.bus.emit("accessChanged", { userId: actor.userId });
  }

  sessions(userId: string): SessionRecord[] {
    return this.#o.credentials.sessionsOf(userId).filter((s) => s.expiresAt > this.#now());
  }

  revokeSession(actor: UserActor, sessionId: string): void {
    if (!this.#o.credentials.deleteSession(sessionId, actor.userId)) throw new HubError("session_not_found");
    this.#o.audit.record({
      action: "session.revoked",
      actor,
      subjectUserId: actor.userId,
      details: { sessionId },
    });
    this.#o.bus.emit("accessChanged", { userId: actor.userId });
  }

  createToken(
    actor: UserActor,
    input: { name: string; scopes: TokenScope[]; expiresInDays?: number },
  ): { secret: string; token: TokenRecord } {
    const now = this.#now();
    const secret = newSecret("shp");
    const token: TokenRecord = {
      id: newId(),
      userId: actor.userId,
      name: input.name.trim(),
      scopes: [...new Set(input.scopes)],
      createdAt: now,
      expiresAt: input.expiresInDays ? now + input.expiresInDays * DAY : null,
      lastUsedAt: null,
      lastUsedIp: null,
    };
    this.#o.credentials.insertToken({ ...token, tokenHash: hashSecret(secret) });
    this.#o.audit.record({
      action: "token.created",
      actor,
      subjectUserId: actor.userId,
      details: { tokenId: token.id, name: token.name, scopes: token.scopes },
    });
    return { secret, token };
  }

  tokens(userId: string): TokenRecord[] {
    return this.#o.credentials.tokensOf(userId);
  }

  revokeToken(actor: UserActor, tokenId: string): void {
    if (!this.#o.credentials.deleteToken(tokenId, actor.userId)) throw new HubError("token_not_found");
    this.#o.audit.record({
      action: "token.revoked",
      actor,
      subjectUserId: actor.userId,
      details: { tokenId },
    });
    this.#o.bus.emit("accessChanged", { userId: actor.userId });
  }

  #actorFor(
    user: UserRecord,
    via: "session" | "token",
    credentialId: string,
    scopes: TokenScope[] | null,
    client: ClientInfo,
  ): UserActor {
    return {
      type: "user",
      userId: user.id,
      username: user.username,
      role: user.role,
      via,
      credentialId,
      scopes,
      ip: client.ip,
      userAgent: client.userAgent.slice(0, 512),
    };
  }

  #now(): number {
    return (this.#o.now ?? Date.now)();
  }
}
