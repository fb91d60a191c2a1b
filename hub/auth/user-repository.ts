/** Accounts (table users) and the addresses each user signed in from (for "new address" notices). */
import Type, { type Static } from "typebox";
import type { Database } from "../store/database.ts";
import type { Role } from "./actor.ts";

export const PreferencesSchema = Type.Object(
  {
    language: Type.String({ pattern: "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", maxLength: 35, default: "en" }),
    units: Type.Enum(["metric", "imperial"] as const, { default: "metric" }),
    theme: Type.Enum(["system", "light", "dark"] as const, { default: "system" }),
    notifications: Type.Object(
      {
        cleaningFinished: Type.Boolean({ default: true }),
        robotErrors: Type.Boolean({ default: true }),
        consumables: Type.Boolean({ default: true }),
        security: Type.Boolean({ default: true }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type Preferences = Static<typeof PreferencesSchema>;
/** A partial update: only the given fields (and notification switches) change. */
export type PreferencesChange = Partial<Omit<Preferences, "notifications">> & {
  notifications?: Partial<Preferences["notifications"]>;
};

export const DEFAULT_PREFERENCES: Preferences = {
  language: "en",
  units: "metric",
  theme: "system",
  notifications: { cleaningFinished: true, robotErrors: true, consumables: true, security: true },
};

export interface UserRecord {
  id: string;
  username: string;
  passwordHash: string;
  displayName: string;
  email: string | null;
  phone: string | null;
  role: Role;
  preferences: Preferences;
  createdAt: number;
  updatedAt: number;
  passwordChangedAt: number;
}

interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  display_name: string;
  email: string | null;
  phone: string | null;
  role: Role;
  preferences: string;
  created_at: number;
  updated_at: number;
  password_changed_at: number;
}

export type ProfileChange = Partial<Pick<UserRecord, "displayName" | "email" | "phone" | "preferences">>;

export class UserRepository {
  private readonly stmts;

  constructor(private readonly db: Database) {
    this.stmts = {
      insert: db.prepare(`
        INSERT INTO users (id, username, password_hash, display_name, email, phone, role, preferences,
                           created_at, updated_at, password_changed_at)
        VALUES (@id, @username, @passwordHash, @displayName, @email, @phone, @role, @preferences,
                @createdAt, @updatedAt, @passwordChangedAt)`),
      get: db.prepare<[string], UserRow>("SELECT * FROM users WHERE id = ?"),
      byName: db.prepare<[string], UserRow>("SELECT * FROM users WHERE username = ?"),
      list: db.prepare<[], UserRow>("SELECT * FROM users ORDER BY created_at, username"),
      owner: db.prepare<[], UserRow>("SELECT * FROM users WHERE role = 'owner'"),
      count: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM users"),
      profile: db.prepare(`
        UPDATE users SET display_name = @displayName, email = @email, phone = @phone,
                         preferences = @preferences, updated_at = @updatedAt WHERE id = @id`),
      password: db.prepare(
        "UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ? WHERE id = ?",
      ),
      role: db.prepare("UPDATE users SET role = ?, updated_at = ? WHERE id = ?"),
      remove: db.prepare("DELETE FROM users WHERE id = ?"),
      seenIp: db.prepare<[string, string], { first_seen_at: number }>(
        "SELECT first_seen_at FROM known_login_ips WHERE user_id = ? AND ip = ?",
      ),
      ipCount: db.prepare<[string], { n: number }>(
        "SELECT count(*) AS n FROM known_login_ips WHERE user_id = ?",
      ),
      rememberIp: db.prepare(`
        INSERT INTO known_login_ips (user_id, ip, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (user_id, ip) DO UPDATE SET last_seen_at = excluded.last_seen_at`),
      ips: db.prepare<[string], { ip: string; first_seen_at: number; last_seen_at: number }>(
        "SELECT ip, first_seen_at, last_seen_at FROM known_login_ips WHERE user_id = ? ORDER BY last_seen_at DESC",
      ),
    };
  }

  insert(user: UserRecord): void {
    this.stmts.insert.run({ ...user, preferences: JSON.stringify(user.preferences) });
  }

  get(id: string): UserRecord | undefined {
    const row = this.stmts.get.get(id);
    return row && toUser(row);
  }

  byUsername(username: string): UserRecord | undefined {
    const row = this.stmts.byName.get(username);
    return row && toUser(row);
  }

  list(): UserRecord[] {
    return this.stmts.list.all().map(toUser);
  }

  owner(): UserRecord | undefined {
    const row = this.stmts.owner.get();
    return row && toUser(row);
  }

  count(): number {
    return this.stmts.count.get()!.n;
  }

  updateProfile(id: string, change: ProfileChange, now: number): UserRecord {
    const user = this.get(id)!;
    const next = { ...user, ...change };
    this.stmts.profile.run({
      id,
      displayName: next.displayName,
      email: next.email,
      phone: next.phone,
      preferences: JSON.stringify(next.preferences),
      updatedAt: now,
    });
    return this.get(id)!;
  }

  setPassword(id: string, passwordHash: string, now: number): void {
    this.stmts.password.run(passwordHash, now, now, id);
  }

  setRole(id: string, role: Role, now: number): void {
    this.stmts.role.run(role, now, id);
  }

  /** Two role changes as one step, so the single-owner index never sees two owners or none. */
  transferOwnership(fromId: string, toId: string, now: number): void {
    this.db.transaction(() => {
      this.stmts.role.run("admin", now, fromId);
      this.stmts.role.run("owner", now, toId);
    })();
  }

  remove(id: string): boolean {
    return this.stmts.remove.run(id).changes > 0;
  }

  /** Records a sign-in address; true when the user had signed in before, but never from this address. */
  rememberIp(userId: string, ip: string, now: number): boolean {
    const known = this.stmts.seenIp.get(userId, ip) !== undefined;
    const hadAny = this.stmts.ipCount.get(userId)!.n > 0;
    this.stmts.rememberIp.run(userId, ip, now, now);
    return hadAny && !known;
  }

  knownIps(userId: string): { ip: string; firstSeenAt: number; lastSeenAt: number }[] {
    return this.stmts.ips
      .all(userId)
      .map((r) => ({ ip: r.ip, firstSeenAt: r.first_seen_at, lastSeenAt: r.last_seen_at }));
  }
}

function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    username: row.username,
    passwordHash: row.password_hash,
    displayName: row.display_name,
    email: row.email,
    phone: row.phone,
    role: row.role,
    preferences: { ...DEFAULT_PREFERENCES, ...(JSON.parse(row.preferences) as Partial<Preferences>) },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    passwordChangedAt: row.password_changed_at,
  };
}
