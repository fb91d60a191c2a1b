/** Managing other users (owner and admins): roles, per-robot grants, removal, ownership transfer. */
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { userSummary } from "../../auth/accounts-service.ts";
import type { GrantSet } from "../../auth/grant-repository.ts";
import { HubError } from "../../core/errors.ts";
import { actorOf } from "../access.ts";
import { GrantsSchema, IdParam, Password, RobotGrantEntry, UserSummarySchema } from "../account-schemas.ts";
import { ErrorResponseSchema, RobotIdParams } from "../schemas.ts";

const UserWithGrants = Type.Object({ ...UserSummarySchema.properties, robots: Type.Array(RobotGrantEntry) });
const UserAndRobotParams = Type.Object(
  { ...IdParam("userId").properties, ...RobotIdParams.properties },
  { additionalProperties: false },
);

export async function userRoutes(app: FastifyInstance): Promise<void> {
  const s = app.deps.access;
  const admin = { config: { access: { auth: "admin" as const } } };
  const withGrants = (userId: string) => {
    const u = s.accounts.get(userId);
    return { ...userSummary(u), robots: s.accounts.memberGrants(u.id) };
  };

  app.get(
    "/api/users",
    {
      ...admin,
      schema: {
        summary: "Every user with role and robot grants (no email or phone: those stay with their owner)",
        tags: ["users"],
        response: { 200: Type.Object({ users: Type.Array(UserWithGrants) }) },
      },
    },
    () => ({ users: s.accounts.list().map((u) => withGrants(u.id)) }),
  );

  app.get<{ Params: { userId: string } }>(
    "/api/users/:userId",
    {
      ...admin,
      schema: {
        summary: "One user with role and robot grants",
        tags: ["users"],
        params: IdParam("userId"),
        response: { 200: UserWithGrants, 404: ErrorResponseSchema },
      },
    },
    (req) => withGrants(req.params.userId),
  );

  app.patch<{ Params: { userId: string }; Body: { role: "admin" | "member" } }>(
    "/api/users/:userId",
    {
      ...admin,
      schema: {
        summary: "Change a user's role (admin or member; only the owner changes admins)",
        tags: ["users"],
        params: IdParam("userId"),
        body: Type.Object({ role: Type.Enum(["admin", "member"] as const) }, { additionalProperties: false }),
        response: { 200: UserWithGrants, 403: ErrorResponseSchema, 404: ErrorResponseSchema },
      },
    },
    (req) => {
      s.accounts.setRole(actorOf(req), req.params.userId, req.body.role);
      return withGrants(req.params.userId);
    },
  );

  app.delete<{ Params: { userId: string } }>(
    "/api/users/:userId",
    {
      ...admin,
      schema: {
        summary: "Remove a user: their sessions, tokens and live connections end at once",
        tags: ["users"],
        params: IdParam("userId"),
        response: { 204: Type.Null(), 403: ErrorResponseSchema, 404: ErrorResponseSchema },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      if (req.params.userId === actor.userId)
        throw new HubError(
          "invalid_request",
          "To delete your own account use DELETE /api/me (it asks for your password)",
        );
      await s.accounts.deleteUser(actor, req.params.userId, (id) => s.dataRights.deleteUserData(id));
      return reply.status(204).send();
    },
  );

  app.put<{ Params: { userId: string; robotId: string }; Body: GrantSet }>(
    "/api/users/:userId/robots/:robotId",
    {
      ...admin,
      schema: {
        summary:
          "Set a member's access to a robot (all false removes it; takes effect on live connections at once)",
        tags: ["users"],
        params: UserAndRobotParams,
        body: GrantsSchema,
        response: { 200: GrantsSchema, 400: ErrorResponseSchema, 404: ErrorResponseSchema },
      },
    },
    (req) => {
      app.deps.robots.get(req.params.robotId);
      return s.accounts.setGrants(actorOf(req), req.params.userId, req.params.robotId, req.body);
    },
  );

  app.delete<{ Params: { userId: string; robotId: string } }>(
    "/api/users/:userId/robots/:robotId",
    {
      ...admin,
      schema: {
        summary: "Withdraw a member's access to a robot (live connections lose it at once)",
        tags: ["users"],
        params: UserAndRobotParams,
        response: { 204: Type.Null(), 404: ErrorResponseSchema },
      },
    },
    (req, reply) => {
      s.accounts.setGrants(actorOf(req), req.params.userId, req.params.robotId, {
        view: false,
        control: false,
        camera: false,
      });
      return reply.status(204).send();
    },
  );

  app.post<{ Body: { userId: string; password: string } }>(
    "/api/ownership/transfer",
    {
      config: { access: { auth: "owner" } },
      schema: {
        summary: "Make another user the owner; you become an admin",
        tags: ["users"],
        body: Type.Object(
          { userId: IdParam("userId").properties.userId, password: Password },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), 401: ErrorResponseSchema, 404: ErrorResponseSchema },
      },
    },
    async (req, reply) => {
      await s.accounts.transferOwnership(actorOf(req), req.body.userId, req.body.password);
      return reply.status(204).send();
    },
  );
}
