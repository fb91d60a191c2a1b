import type { Migration } from "./migration.ts";

/**
 * Accounts, sessions, API tokens, per-robot grants, invitations, the audit log, security notices and
 * per-robot consent switches (docs/api.md "Accounts and access"). Secrets (session cookies, API tokens,
 * invitation codes) are stored only as SHA-256 hashes; passwords only as argon2id hashes. Times are ms
 * since the epoch. The audit log has no foreign keys on purpose: entries outlive the users and robots
 * they mention (deleted users are anonymised in place, see hub/auth/accounts-service.ts).
 */
export const accountsSchema: Migration = {
  version: 2,
  name: "accounts",
  up(db) {
    db.exec(`
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        display_name TEXT NOT NULL,
        email TEXT,
        phone TEXT,
        role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
        preferences TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        password_changed_at INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX users_single_owner ON users (role) WHERE role = 'owner';

      CREATE TABLE auth_sessions (
        id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        csrf_hash TEXT NOT NULL,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        ip TEXT NOT NULL,
        user_agent TEXT NOT NULL
      );
      CREATE INDEX auth_sessions_user ON auth_sessions (user_id);

      CREATE TABLE api_tokens (
        id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        scopes TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER,
        last_used_at INTEGER,
        last_used_ip TEXT
      );
      CREATE INDEX api_tokens_user ON api_tokens (user_id);

      CREATE TABLE robot_grants (
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        robot_id TEXT NOT NULL REFERENCES robots(id) ON DELETE CASCADE,
        can_view INTEGER NOT NULL DEFAULT 1,
        can_control INTEGER NOT NULL DEFAULT 0,
        can_camera INTEGER NOT NULL DEFAULT 0,
        granted_by TEXT,
        granted_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, robot_id)
      );
      CREATE INDEX robot_grants_robot ON robot_grants (robot_id);

      CREATE TABLE invitations (
        id TEXT PRIMARY KEY,
        code_hash TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
        grants TEXT NOT NULL DEFAULT '[]',
        note TEXT NOT NULL DEFAULT '',
        created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER,
        used_by TEXT REFERENCES users(id) ON DELETE SET NULL
      );

      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        action TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed')),
        actor_kind TEXT NOT NULL,
        actor_user_id TEXT,
        actor_name TEXT NOT NULL,
        credential_id TEXT,
        subject_user_id TEXT,
        robot_id TEXT,
        ip TEXT,
        user_agent TEXT,
        details TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX audit_log_at ON audit_log (at);
      CREATE INDEX audit_log_actor ON audit_log (actor_user_id, at);
      CREATE INDEX audit_log_subject ON audit_log (subject_user_id, at);
      CREATE INDEX audit_log_robot ON audit_log (robot_id, at);

      CREATE TABLE security_notices (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        message TEXT NOT NULL,
        details TEXT NOT NULL DEFAULT '{}',
        robot_id TEXT,
        created_at INTEGER NOT NULL,
        dismissed_at INTEGER
      );
      CREATE INDEX security_notices_user ON security_notices (user_id, created_at);

      CREATE TABLE known_login_ips (
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        ip TEXT NOT NULL,
        first_seen_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, ip)
      );

      CREATE TABLE robot_consent (
        robot_id TEXT PRIMARY KEY REFERENCES robots(id) ON DELETE CASCADE,
        keep_history INTEGER NOT NULL DEFAULT 1,
        record_camera INTEGER NOT NULL DEFAULT 0,
        updated_at INTEGER NOT NULL,
        updated_by TEXT
      );
    `);
  },
};
