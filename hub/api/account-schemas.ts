/** Request and response schemas of the accounts and access API (docs/api.md "Accounts and access"). */
import Type from "typebox";
import { ROBOT_GRANTS, ROLES, TOKEN_SCOPES } from "../auth/actor.ts";
import { GrantSetSchema } from "../auth/grant-repository.ts";
import { NOTICE_KINDS } from "../auth/notice-repository.ts";
import { PASSWORD_MAX_LENGTH } from "../auth/passwords.ts";
import { PreferencesSchema } from "../auth/user-repository.ts";

export const Username = Type.String({
  minLength: 3,
  maxLength: 32,
  pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$",
  description: "3-32 letters, digits, dots, dashes or underscores; not case-sensitive when signing in",
});
export const Password = Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH });
export const NewPassword = Type.String({
  minLength: 1,
  maxLength: PASSWORD_MAX_LENGTH,
  description: "at least 10 characters, not a common password, not containing the user name",
});
const DisplayName = Type.String({ maxLength: 64 });
const Email = Type.Union([Type.String({ maxLength: 254, pattern: "^$|^[^\\s@]+@[^\\s@]+$" }), Type.Null()], {
  description: "optional; stored only if given (empty or null removes it)",
});
const Phone = Type.Union(
  [Type.String({ maxLength: 32, pattern: "^$|^\\+?[0-9 ()./-]{3,31}$" }), Type.Null()],
  {
    description: "optional; stored only if given (empty or null removes it)",
  },
);
export const PartialPreferences = Type.Partial(
  Type.Object(
    {
      language: PreferencesSchema.properties.language,
      units: PreferencesSchema.properties.units,
      theme: PreferencesSchema.properties.theme,
      notifications: Type.Partial(PreferencesSchema.properties.notifications),
    },
    { additionalProperties: false },
  ),
  { additionalProperties: false },
);

export const NewAccountBody = Type.Object(
  {
    username: Username,
    password: NewPassword,
    displayName: Type.Optional(DisplayName),
    email: Type.Optional(Email),
    phone: Type.Optional(Phone),
    preferences: Type.Optional(PartialPreferences),
  },
  { additionalProperties: false },
);

export const ProfileBody = Type.Object(
  {
    displayName: Type.Optional(DisplayName),
    email: Type.Optional(Email),
    phone: Type.Optional(Phone),
    preferences: Type.Optional(PartialPreferences),
  },
  { additionalProperties: false },
);

export const IdParam = (name: string) =>
  Type.Object(
    { [name]: Type.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9_-]+$" }) },
    { additionalProperties: false },
  );

export const RoleSchema = Type.Enum(ROLES);
export const GrantsSchema = GrantSetSchema;

export const OwnAccountSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  role: RoleSchema,
  preferences: PreferencesSchema,
  createdAt: Type.Number(),
  updatedAt: Type.Number(),
  passwordChangedAt: Type.Number(),
});

export const UserSummarySchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  createdAt: Type.Number(),
});

export const RobotGrantEntry = Type.Object({ robotId: Type.String(), grants: GrantSetSchema });

export const MeSchema = Type.Object({
  user: OwnAccountSchema,
  /** Per-robot access of this user (for owners and admins: every robot, all grants). */
  robots: Type.Array(RobotGrantEntry),
  via: Type.Enum(["session", "token"] as const),
  scopes: Type.Union([Type.Array(Type.Enum(TOKEN_SCOPES)), Type.Null()]),
  unreadNotices: Type.Integer(),
});

export const SignedInSchema = Type.Object({
  user: OwnAccountSchema,
  csrfToken: Type.String({
    description: "send as X-CSRF-Token on writes (also in the sweephub_csrf cookie)",
  }),
  sessionId: Type.String(),
});

export const SessionSchema = Type.Object({
  id: Type.String(),
  createdAt: Type.Number(),
  lastUsedAt: Type.Number(),
  expiresAt: Type.Number(),
  ip: Type.String(),
  userAgent: Type.String(),
  current: Type.Boolean(),
});

export const TokenSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scopes: Type.Array(Type.Enum(TOKEN_SCOPES)),
  createdAt: Type.Number(),
  expiresAt: Type.Union([Type.Number(), Type.Null()]),
  lastUsedAt: Type.Union([Type.Number(), Type.Null()]),
  lastUsedIp: Type.Union([Type.String(), Type.Null()]),
});

export const NewTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64 }),
    scopes: Type.Array(Type.Enum(TOKEN_SCOPES), { minItems: 1, maxItems: 3, uniqueItems: true }),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  },
  { additionalProperties: false },
);

export const NoticeSchema = Type.Object({
  id: Type.Integer(),
  kind: Type.Enum(NOTICE_KINDS),
  message: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
  robotId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.Number(),
  dismissedAt: Type.Union([Type.Number(), Type.Null()]),
});

export const InvitationGrantSchema = Type.Object(
  {
    robotId: Type.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9._-]+$" }),
    view: Type.Boolean(),
    control: Type.Boolean(),
    camera: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const InvitationSchema = Type.Object({
  id: Type.String(),
  role: Type.Enum(["admin", "member"] as const),
  grants: Type.Array(InvitationGrantSchema),
  note: Type.String(),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.Number(),
  expiresAt: Type.Number(),
  usedAt: Type.Union([Type.Number(), Type.Null()]),
  usedBy: Type.Union([Type.String(), Type.Null()]),
  status: Type.Enum(["pending", "used", "expired"] as const),
});

export const RobotGrantName = Type.Enum(ROBOT_GRANTS);
