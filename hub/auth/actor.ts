/**
 * Who is acting: a signed-in user (through a session cookie or an API token) or a part of the hub itself
 * (Matter, MQTT, schedules). Every command and every audited read carries one (docs/api.md "Accounts and access").
 */
export const ROLES = ["owner", "admin", "member"] as const;
export type Role = (typeof ROLES)[number];

export const ROBOT_GRANTS = ["view", "control", "camera"] as const;
export type RobotGrant = (typeof ROBOT_GRANTS)[number];

/**
 * API token scopes. `read`: GET requests and WebSocket subscriptions. `control`: also robot commands.
 * `manage`: everything the token's user may do.
 */
export const TOKEN_SCOPES = ["read", "control", "manage"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export interface UserActor {
  type: "user";
  userId: string;
  username: string;
  role: Role;
  via: "session" | "token";
  /** Session id or token id (public ids, not the secrets). */
  credentialId: string;
  /** Null for sessions (everything the user may do). */
  scopes: TokenScope[] | null;
  ip: string;
  userAgent: string;
}

export const SYSTEM_ACTORS = ["matter", "mqtt", "schedule", "demo", "hub"] as const;
export interface SystemActor {
  type: "system";
  name: (typeof SYSTEM_ACTORS)[number];
}

export type Actor = UserActor | SystemActor;

export const isAdmin = (role: Role): boolean => role === "owner" || role === "admin";

const RANK: Record<Role, number> = { member: 0, admin: 1, owner: 2 };
export const roleAtLeast = (role: Role, needed: Role): boolean => RANK[role] >= RANK[needed];

export function actorName(actor: Actor): string {
  return actor.type === "user" ? actor.username : actor.name;
}
