/** Sharing robots by invitation: admins create and revoke; the invited person previews and accepts. */
import type { FastifyInstance } from "fastify";
import Type, { type Static } from "typebox";
import type { InvitationGrant } from "../../auth/invitation-repository.ts";
import { actorOf, clientInfo, replySignedIn } from "../access.ts";
import {
  IdParam,
  InvitationGrantSchema,
  InvitationSchema,
  NewAccountBody,
  SignedInSchema,
} from "../account-schemas.ts";
import { ErrorResponseSchema } from "../schemas.ts";

const Code = Type.String({
  minLength: 1,
  maxLength: 32,
  description: "XXXX-XXXX-XXXX (case and dashes ignored)",
});

export async function invitationRoutes(app: FastifyInstance): Promise<void> {
  const s = app.deps.access;
  const admin = { config: { access: { auth: "admin" as const } } };

  app.post<{
    Body: { role: "admin" | "member"; grants: InvitationGrant[]; expiresInHours?: number; note?: string };
  }>(
    "/api/invitations",
    {
      ...admin,
      schema: {
        summary: "Invite someone: returns the code and link once (only the owner invites admins)",
        tags: ["users"],
        body: Type.Object(
          {
            role: Type.Enum(["admin", "member"] as const),
            grants: Type.Array(InvitationGrantSchema, { maxItems: 256, default: [] }),
            expiresInHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 720 })),
            note: Type.Optional(Type.String({ maxLength: 200, description: "for you, e.g. who it is for" })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            code: Type.String({ description: "shown once" }),
            link: Type.String({
              description: "dashboard path carrying the code in the fragment (not sent to servers)",
            }),
            invitation: InvitationSchema,
          }),
          403: ErrorResponseSchema,
          404: ErrorResponseSchema,
        },
      },
    },
    (req, reply) => {
      const { code, invitation } = s.invitations.create(actorOf(req), req.body);
      return reply.status(201).send({
        code,
        link: `/invite#${code}`,
        invitation: { ...invitation, status: s.invitations.status(invitation) },
      });
    },
  );

  app.get(
    "/api/invitations",
    {
      ...admin,
      schema: {
        summary: "Invitations with their status (pending, used, expired); codes are never shown again",
        tags: ["users"],
        response: { 200: Type.Object({ invitations: Type.Array(InvitationSchema) }) },
      },
    },
    () => ({ invitations: s.invitations.list() }),
  );

  app.delete<{ Params: { invitationId: string } }>(
    "/api/invitations/:invitationId",
    {
      ...admin,
      schema: {
        summary: "Revoke an invitation",
        tags: ["users"],
        params: IdParam("invitationId"),
        response: { 204: Type.Null(), 404: ErrorResponseSchema },
      },
    },
    (req, reply) => {
      s.invitations.revoke(actorOf(req), req.params.invitationId);
      return reply.status(204).send();
    },
  );

  app.post<{ Body: { code: string } }>(
    "/api/invitations/preview",
    {
      config: { access: { auth: "public" } },
      schema: {
        summary: "What an invitation code offers (role, robots, expiry), before creating the account",
        description: "Wrong codes count against the caller's address (429 too_many_attempts after several).",
        tags: ["users"],
        body: Type.Object({ code: Code }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            role: Type.Enum(["admin", "member"] as const),
            robots: Type.Array(
              Type.Object({
                robotId: Type.String(),
                name: Type.String(),
                view: Type.Boolean(),
                control: Type.Boolean(),
                camera: Type.Boolean(),
              }),
            ),
            expiresAt: Type.Number(),
            invitedBy: Type.Union([Type.String(), Type.Null()]),
          }),
          410: ErrorResponseSchema,
          429: ErrorResponseSchema,
        },
      },
    },
    (req) => {
      const inv = s.invitations.lookup(req.body.code, req.ip);
      const names = new Map(app.deps.robots.list().map((r) => [r.id, r.name]));
      const by = inv.createdBy ? s.users.get(inv.createdBy) : undefined;
      return {
        role: inv.role,
        robots: inv.grants
          .filter((g) => names.has(g.robotId))
          .map((g) => ({ ...g, name: names.get(g.robotId)! })),
        expiresAt: inv.expiresAt,
        invitedBy: by?.displayName ?? null,
      };
    },
  );

  app.post<{ Body: Static<typeof NewAccountBody> & { code: string } }>(
    "/api/invitations/accept",
    {
      config: { access: { auth: "public" } },
      schema: {
        summary: "Create your account from an invitation and sign in",
        tags: ["users"],
        body: Type.Object({ code: Code, ...NewAccountBody.properties }, { additionalProperties: false }),
        response: {
          201: SignedInSchema,
          400: ErrorResponseSchema,
          409: ErrorResponseSchema,
          410: ErrorResponseSchema,
          429: ErrorResponseSchema,
        },
      },
    },
    async (req, reply) => {
      const client = clientInfo(req);
      const { code, ...account } = req.body;
      const user = await s.invitations.accept(code, account, client);
      return replySignedIn(reply, s, user, client);
    },
  );
}
