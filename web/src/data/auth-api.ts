/**
 * Typed calls of the accounts and access API (docs/api.md §Accounts and access): onboarding, sign-in, the
 * signed-in user, sessions, tokens, notices, users and grants, invitations, audit log, privacy and TLS.
 */
import type { Static } from "typebox";
import type {
  InvitationSchema,
  MeSchema,
  NoticeSchema,
  OwnAccountSchema,
  SessionSchema,
  TokenSchema,
} from "../../../hub/api/account-schemas.ts";
import type { AuditEntry } from "../../../hub/audit/audit-repository.ts";
import type { NewAccount } from "../../../hub/auth/accounts-service.ts";
import type { Role } from "../../../hub/auth/actor.ts";
import type { GrantSet } from "../../../hub/auth/grant-repository.ts";
import type { InvitationGrant } from "../../../hub/auth/invitation-repository.ts";
import type { Preferences } from "../../../hub/auth/user-repository.ts";
import type { Consent } from "../../../hub/privacy/consent-repository.ts";
import { request } from "./api.ts";

// The hub's own schemas and types (type-only imports: nothing of the hub is bundled).
export type { AuditEntry, Consent, GrantSet, InvitationGrant, NewAccount, Preferences, Role };
export type Account = Static<typeof OwnAccountSchema>;
export type Me = Static<typeof MeSchema>;
export type SessionInfo = Static<typeof SessionSchema>;
export type TokenInfo = Static<typeof TokenSchema>;
export type Notice = Static<typeof NoticeSchema>;
export type Invitation = Static<typeof InvitationSchema>;

export interface AuthStatus {
  onboarded: boolean;
  signedIn: boolean;
  hubName: string;
  version: string;
  https: boolean;
  caCertificate: string | null;
  onboardingCodeRequired: boolean;
}
export interface UserWithGrants {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  createdAt: number;
  robots: { robotId: string; grants: GrantSet }[];
}
export interface InvitationPreview {
  role: "admin" | "member";
  robots: ({ robotId: string; name: string } & GrantSet)[];
  expiresAt: number;
  invitedBy: string | null;
}
export interface AuditFilter {
  userId?: string;
  robotId?: string;
  action?: string;
  outcome?: "ok" | "denied" | "failed";
  from?: number;
  to?: number;
  before?: number;
  limit?: number;
}
export interface PrivacyReport {
  dataFolder?: string;
  database?: string;
  cloud?: string;
  items?: { id: string; description: string; location: string; retention: string; visibleTo: string }[];
  [key: string]: unknown;
}

type SignedIn = { user: Account; csrfToken: string; sessionId: string };

const id = encodeURIComponent;

/** The query string of a filter: only the fields that are set. */
export function auditQuery(filter: AuditFilter): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v !== undefined && v !== "") params.set(k, String(v));
  const q = params.toString();
  return q ? `?${q}` : "";
}

export const authApi = {
  status: () => request<AuthStatus>("GET", "/api/auth/status"),
  onboard: (account: NewAccount & { onboardingCode?: string }) =>
    request<SignedIn>("POST", "/api/onboarding", account),
  login: (username: string, password: string) =>
    request<SignedIn>("POST", "/api/auth/login", { username, password }),
  logout: () => request<null>("POST", "/api/auth/logout"),
  me: () => request<Me>("GET", "/api/me"),
  updateProfile: (
    body: Partial<Pick<Account, "displayName" | "email" | "phone">> & { preferences?: Partial<Preferences> },
  ) => request<Account>("PATCH", "/api/me", body),
  changePassword: (currentPassword: string, newPassword: string) =>
    request<null>("PUT", "/api/me/password", { currentPassword, newPassword }),
  sessions: () => request<{ sessions: SessionInfo[] }>("GET", "/api/me/sessions"),
  revokeSession: (sessionId: string) => request<null>("DELETE", `/api/me/sessions/${id(sessionId)}`),
  tokens: () => request<{ tokens: TokenInfo[] }>("GET", "/api/me/tokens"),
  createToken: (body: { name: string; scopes: TokenInfo["scopes"]; expiresInDays?: number }) =>
    request<{ token: string; info: TokenInfo }>("POST", "/api/me/tokens", body),
  revokeToken: (tokenId: string) => request<null>("DELETE", `/api/me/tokens/${id(tokenId)}`),
  notices: () => request<{ notices: Notice[] }>("GET", "/api/me/notices"),
  dismissNotice: (noticeId: number) => request<unknown>("POST", `/api/me/notices/${noticeId}/dismiss`),
  dismissAllNotices: () => request<{ dismissed: number }>("POST", "/api/me/notices/dismiss-all"),
  myAudit: (filter: AuditFilter) =>
    request<{ entries: AuditEntry[] }>("GET", `/api/me/audit${auditQuery(filter)}`),
  deleteAccount: (password: string) => request<null>("DELETE", "/api/me", { password }),
  users: () => request<{ users: UserWithGrants[] }>("GET", "/api/users"),
  setRole: (userId: string, role: "admin" | "member") =>
    request<unknown>("PATCH", `/api/users/${id(userId)}`, { role }),
  transferOwnership: (userId: string, password: string) =>
    request<null>("POST", "/api/ownership/transfer", { userId, password }),
  removeUser: (userId: string) => request<null>("DELETE", `/api/users/${id(userId)}`),
  setGrants: (userId: string, robotId: string, grants: GrantSet) =>
    request<unknown>("PUT", `/api/users/${id(userId)}/robots/${id(robotId)}`, grants),
  revokeGrants: (userId: string, robotId: string) =>
    request<null>("DELETE", `/api/users/${id(userId)}/robots/${id(robotId)}`),
  invitations: () => request<{ invitations: Invitation[] }>("GET", "/api/invitations"),
  invite: (body: {
    role: "admin" | "member";
    grants: InvitationGrant[];
    expiresInHours?: number;
    note?: string;
  }) => request<{ code: string; link: string; invitation: Invitation }>("POST", "/api/invitations", body),
  revokeInvitation: (invitationId: string) => request<null>("DELETE", `/api/invitations/${id(invitationId)}`),
  previewInvitation: (code: string) =>
    request<InvitationPreview>("POST", "/api/invitations/preview", { code }),
  acceptInvitation: (body: NewAccount & { code: string }) =>
    request<SignedIn>("POST", "/api/invitations/accept", body),
  audit: (filter: AuditFilter) =>
    request<{ entries: AuditEntry[] }>("GET", `/api/audit${auditQuery(filter)}`),
  privacy: () => request<PrivacyReport>("GET", "/api/privacy"),
  consent: (robotId: string) => request<Consent>("GET", `/api/robots/${id(robotId)}/consent`),
  setConsent: (robotId: string, consent: Consent) =>
    request<Consent>("PUT", `/api/robots/${id(robotId)}/consent`, consent),
  deleteRobotData: (robotId: string) => request<unknown>("DELETE", `/api/robots/${id(robotId)}/data`),
  tls: () => request<Record<string, unknown>>("GET", "/api/tls"),
};
