/** Sign-in sessions (cookie) and API tokens (bearer): both stored by the SHA-256 of their secret. */
import type { Database } from "../store/database.ts";
import type { TokenScope } from "./actor.ts";

export interface SessionRecord {
  id: string;
  userId: string;
  csrfHash: string;
  createdAt: number;
  lastUsedAt: number;
  expiresAt: number;
  ip: string;
  userAgent: string;
}

export interface TokenRecord {
  id: string;
  userId: string;
  name: string;
  scopes: TokenScope[];
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
  lastUsedIp: string | null;
}

interface SessionRow {
  id: string;
  user_id: string;
  csrf_hash: string;
  created_at: number;
  last_used_at: number;
  expires_at: number;
  ip: string;
  user_agent: string;
}

interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  scopes: string;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  last_used_ip: string | null;
}

export class CredentialRepository {
  private readonly stmts;

  constructor(db: Database) {
    this.stmts = {
      insertSession: db.prepare(`
        INSERT INTO auth_sessions (id, token_hash, csrf_hash, user_id, created_at, last_used_at, expires_at, ip,
                                   user_agent)
        VALUES (@id, @tokenHash, @csrfHash, @userId, @createdAt, @lastUsedAt, @expiresAt, @ip, @userAgent)`),
      sessionByHash: db.prepare<[string], SessionRow>("SELECT * FROM auth_sessions WHERE token_hash = ?"),
      session: db.prepare<[string], SessionRow>("SELECT * FROM auth_sessions WHERE id = ?"),
      sessions: db.prepare<[string], SessionRow>(
        "SELECT * FROM auth_sessions WHERE user_id = ? ORDER BY last_used_at DESC",
      ),
      touchSession: db.prepare("UPDATE auth_sessions SET last_used_at = ?, expires_at = ? WHERE id = ?"),
      deleteSession: db.prepare("DELETE FROM auth_sessions WHERE id = ? AND user_id = ?"),
      deleteSessionsOf: db.prepare("DELETE FROM auth_sessions WHERE user_id = ? AND id != ?"),
      deleteExpired: db.prepare("DELETE FROM auth_sessions WHERE expires_at <= ?"),
      insertToken: db.prepare(`
        INSERT INTO api_tokens (id, token_hash, user_id, name, scopes, created_at, expires_at)
        VALUES (@id, @tokenHash, @userId, @name, @scopes, @createdAt, @expiresAt)`),
      tokenByHash: db.prepare<[string], TokenRow>("SELECT * FROM api_tokens WHERE token_hash = ?"),
      token: db.prepare<[string], TokenRow>("SELECT * FROM api_tokens WHERE id = ?"),
      tokens: db.prepare<[string], TokenRow>(
        "SELECT * FROM api_tokens WHERE user_id = ? ORDER BY created_at DESC",
      ),
      touchToken: db.prepare("UPDATE api_tokens SET last_used_at = ?, last_used_ip = ? WHERE id = ?"),
      deleteToken: db.prepare("DELETE FROM api_tokens WHERE id = ? AND user_id = ?"),
      deleteTokensOf: db.prepare("DELETE FROM api_tokens WHERE user_id = ?"),
    };
  }

  insertSession(s: SessionRecord & { tokenHash: string }): void {
    this.stmts.insertSession.run(s);
  }

  sessionByHash(tokenHash: string): SessionRecord | undefined {
    const row = this.stmts.sessionByHash.get(tokenHash);
    return row && toSession(row);
  }

  session(id: string): SessionRecord | undefined {
    const row = this.stmts.session.get(id);
    return row && toSession(row);
  }

  sessionsOf(userId: string): SessionRecord[] {
    return this.stmts.sessions.all(userId).map(toSession);
  }

  touchSession(id: string, now: number, expiresAt: number): void {
    this.stmts.touchSession.run(now, expiresAt, id);
  }

  deleteSession(id: string, userId: string): boolean {
    return this.stmts.deleteSession.run(id, userId).changes > 0;
  }

  /** Every session of the user except `keepId` (e.g. the one that just changed the password). */
  deleteSessionsOf(userId: string, keepId = ""): number {
    return this.stmts.deleteSessionsOf.run(userId, keepId).changes;
  }

  deleteExpiredSessions(now: number): number {
    return this.stmts.deleteExpired.run(now).changes;
  }

  insertToken(t: Omit<TokenRecord, "lastUsedAt" | "lastUsedIp"> & { tokenHash: string }): void {
    this.stmts.insertToken.run({ ...t, scopes: JSON.stringify(t.scopes) });
  }

  tokenByHash(tokenHash: string): TokenRecord | undefined {
    const row = this.stmts.tokenByHash.get(tokenHash);
    return row && toToken(row);
  }

  token(id: string): TokenRecord | undefined {
    const row = this.stmts.token.get(id);
    return row && toToken(row);
  }

  tokensOf(userId: string): TokenRecord[] {
    return this.stmts.tokens.all(userId).map(toToken);
  }

  touchToken(id: string, now: number, ip: string): void {
    this.stmts.touchToken.run(now, ip, id);
  }

  deleteToken(id: string, userId: string): boolean {
    return this.stmts.deleteToken.run(id, userId).changes > 0;
  }

  deleteTokensOf(userId: string): number {
    return this.stmts.deleteTokensOf.run(userId).changes;
  }
}

function toSession(r: SessionRow): SessionRecord {
  return {
    id: r.id,
    userId: r.user_id,
    csrfHash: r.csrf_hash,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
    ip: r.ip,
    userAgent: r.user_agent,
  };
}

function toToken(r: TokenRow): TokenRecord {
  return {
    id: r.id,
    userId: r.user_id,
    name: r.name,
    scopes: JSON.parse(r.scopes) as TokenScope[],
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    lastUsedAt: r.last_used_at,
    lastUsedIp: r.last_used_ip,
  };
}
