/**
 * The signed-in user's own things: profile and preferences, password, sessions, API tokens, notifications,
 * own audit entries, and data rights (access, export, delete account).
 */
import type { FastifyInstance } from "fastify";
import Type, { type Static } from "typebox";
import { AuditEntrySchema, asSeenBy } from "../../audit/audit-repository.ts";
import { ownAccount } from "../../auth/accounts-service.ts";
import type { TokenScope } from "../../auth/actor.ts";
import { HubError } from "../../core/errors.ts";
import { actorOf, clearSessionCookies } from "../access.ts";
import {
  IdParam,
  MeSchema,
  NewPassword,
  NewTokenBody,
  NoticeSchema,
  OwnAccountSchema,
  Password,
  ProfileBody,
  SessionSchema,
  TokenSchema,
} from "../account-schemas.ts";
import { ErrorResponseSchema } from "../schemas.ts";
import { AuditQuerystring, auditQueryFrom } from "./audit.ts";

export async function meRoutes(app: FastifyInstance): Promise<void> {
  const s = app.deps.access;
  const user = { config: { access: { auth: "user" as const } } };

  app.get(
    "/api/me",
    {
      ...user,
      schema: {
        summary: "Your account, your access to each robot, and how many notifications wait",
        tags: ["me"],
        response: { 200: MeSchema },
      },
    },
    (req) => {
      const actor = actorOf(req);
      const me = s.accounts.get(actor.userId);
      const robots = app.deps.robots
        .list()
        .map((r) => ({ robotId: r.id, grants: s.accounts.grantsFor(me.id, me.role, r.id) }))
        .filter((r) => r.grants.view);
      return {
        user: ownAccount(me),
        robots,
        via: actor.via,
        scopes: actor.scopes,
        unreadNotices: s.notices.unread(me.id),
      };
    },
  );

  app.patch<{ Body: Static<typeof ProfileBody> }>(
    "/api/me",
    {
      ...user,
      schema: {
        summary: "Correct your profile and preferences (email and phone: empty or null removes them)",
        tags: ["me"],
        body: ProfileBody,
        response: { 200: OwnAccountSchema, 400: ErrorResponseSchema },
      },
    },
    (req) => ownAccount(s.accounts.updateProfile(actorOf(req), req.body)),
  );

  app.put<{ Body: { currentPassword: string; newPassword: string } }>(
    "/api/me/password",
    {
      ...user,
      schema: {
        summary: "Change your password; signs out your other sessions",
        tags: ["me"],
        body: Type.Object(
          { currentPassword: Password, newPassword: NewPassword },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), 400: ErrorResponseSchema, 401: ErrorResponseSchema },
      },
    },
    async (req, reply) => {
      await s.accounts.changePassword(actorOf(req), req.body.currentPassword, req.body.newPassword);
      return reply.status(204).send();
    },
  );

  app.get(
    "/api/me/sessions",
    {
      ...user,
      schema: {
        summary: "Your sign-in sessions (browser, address, last use)",
        tags: ["me"],
        response: { 200: Type.Object({ sessions: Type.Array(SessionSchema) }) },
      },
    },
    (req) => {
      const actor = actorOf(req);
      return {
        sessions: s.signIn.sessions(actor.userId).map(({ csrfHash: _, userId: __, ...x }) => ({
          ...x,
          current: actor.via === "session" && x.id === actor.credentialId,
        })),
      };
    },
  );

  app.delete<{ Params: { sessionId: string } }>(
    "/api/me/sessions/:sessionId",
    {
      ...user,
      schema: {
        summary: "Sign out one of your sessions (its live connections close at once)",
        tags: ["me"],
        params: IdParam("sessionId"),
        response: { 204: Type.Null(), 404: ErrorResponseSchema },
      },
    },
    (req, reply) => {
      const actor = actorOf(req);
      s.signIn.revokeSession(actor, req.params.sessionId);
      if (actor.via === "session" && actor.credentialId === req.params.sessionId) clearSessionCookies(reply);
      return reply.status(204).send();
    },
  );

  app.get(
    "/api/me/tokens",
    {
      ...user,
      schema: {
        summary: "Your API tokens (never the secret: it is shown once, at creation)",
        tags: ["me"],
        response: { 200: Type.Object({ tokens: Type.Array(TokenSchema) }) },
      },
    },
    (req) => ({ tokens: s.signIn.tokens(actorOf(req).userId) }),
  );

  app.post<{ Body: { name: string; scopes: TokenScope[]; expiresInDays?: number } }>(
    "/api/me/tokens",
    {
      ...user,
      schema: {
        summary: "Create an API token for an integration; the secret is in this response only",
        description:
          'Send it as "Authorization: Bearer <token>". Scopes: read (GET, WebSocket subscriptions), control ' +
          "(also robot commands), manage (everything your account may do).",
        tags: ["me"],
        body: NewTokenBody,
        response: {
          201: Type.Object({ token: Type.String({ description: "shown once" }), info: TokenSchema }),
          400: ErrorResponseSchema,
        },
      },
    },
    (req, reply) => {
      const { secret, token } = s.signIn.createToken(actorOf(req), req.body);
      return reply.status(201).send({ token: secret, info: token });
    },
  );

  app.delete<{ Params: { tokenId: string } }>(
    "/api/me/tokens/:tokenId",
    {
      ...user,
      schema: {
        summary: "Revoke an API token (its live connections close at once)",
        tags: ["me"],
        params: IdParam("tokenId"),
        response: { 204: Type.Null(), 404: ErrorResponseSchema },
      },
    },
    (req, reply) => {
      s.signIn.revokeToken(actorOf(req), req.params.tokenId);
      return reply.status(204).send();
    },
  );

  app.get(
    "/api/me/notices",
    {
      ...user,
      schema: {
        summary: "Your notifications (security notices and robot notifications), newest first",
        tags: ["me"],
        response: { 200: Type.Object({ notices: Type.Array(NoticeSchema) }) },
      },
    },
    (req) => ({ notices: s.notices.list(actorOf(req).userId) }),
  );

  app.post<{ Params: { noticeId: string } }>(
    "/api/me/notices/:noticeId/dismiss",
    {
      ...user,
      schema: {
        summary: "Dismiss a notification",
        tags: ["me"],
        params: Type.Object(
          { noticeId: Type.String({ pattern: "^[0-9]{1,15}$" }) },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), 404: ErrorResponseSchema },
      },
    },
    (req, reply) => {
      const actor = actorOf(req);
      if (!s.notices.dismiss(actor.userId, Number(req.params.noticeId), Date.now()))
        throw new HubError("notice_not_found");
      return reply.status(204).send();
    },
  );

  app.post(
    "/api/me/notices/dismiss-all",
    {
      ...user,
      schema: {
        summary: "Dismiss all your notifications",
        tags: ["me"],
        response: { 200: Type.Object({ dismissed: Type.Integer({ minimum: 0 }) }) },
      },
    },
    (req) => ({ dismissed: s.notices.dismissAll(actorOf(req).userId, Date.now()) }),
  );

  app.get<{ Querystring: Static<typeof AuditQuerystring> }>(
    "/api/me/audit",
    {
      ...user,
      schema: {
        summary: "Audit entries done by you or about you (e.g. failed sign-ins on your account)",
        tags: ["me"],
        querystring: AuditQuerystring,
        response: { 200: Type.Object({ entries: Type.Array(AuditEntrySchema) }) },
      },
    },
    (req) => ({
      entries: s.audit.repo
        .query({ ...auditQueryFrom(req.query), involvingUserId: actorOf(req).userId })
        .map((e) => asSeenBy(e, actorOf(req).userId)),
    }),
  );

  app.get(
    "/api/me/data",
    {
      ...user,
      schema: {
        summary: "Everything the hub holds about you and the robots you can see (right of access)",
        tags: ["privacy"],
        response: { 200: Type.Record(Type.String(), Type.Unknown()) },
      },
    },
    (req) => s.dataRights.access(actorOf(req)),
  );

  app.get(
    "/api/me/export",
    {
      ...user,
      schema: {
        summary: "Download your data as one zip (owner: also every robot's data and history)",
        tags: ["privacy"],
        response: { 200: Type.Unknown({ description: "application/zip" }) },
      },
    },
    async (req, reply) => {
      const zip = await s.dataRights.exportZip(actorOf(req));
      const day = new Date().toISOString().slice(0, 10);
      return reply
        .header("content-type", "application/zip")
        .header("content-disposition", `attachment; filename="sweephub-export-${day}.zip"`)
        .header("cache-control", "no-store")
        .send(Buffer.from(zip));
    },
  );

  app.delete<{ Body: { password: string } }>(
    "/api/me",
    {
      ...user,
      schema: {
        summary: "Delete your account and your data (the owner must transfer ownership first)",
        tags: ["privacy"],
        body: Type.Object({ password: Password }, { additionalProperties: false }),
        response: { 204: Type.Null(), 401: ErrorResponseSchema, 409: ErrorResponseSchema },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      await s.signIn.verifyOwnPassword(actor, req.body.password);
      await s.accounts.deleteUser(actor, actor.userId, (id) => s.dataRights.deleteUserData(id));
      clearSessionCookies(reply);
      return reply.status(204).send();
    },
  );
}
