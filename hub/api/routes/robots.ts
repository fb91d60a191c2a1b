/** Paired robots: list, read, pair, unpair, rooms, consumables, cleaning history. */
import type { FastifyInstance } from "fastify";
import Type, { type Static } from "typebox";
import { METHODS } from "../../../integrations/sweep/protocol/methods.ts";
import { HubError } from "../../core/errors.ts";
import { RobotViewSchema } from "../../core/robot-view.ts";
import { actorOf } from "../access.ts";
import { ErrorResponseSchema, RobotIdParams, robotErrorResponses } from "../schemas.ts";

const PairBody = Type.Object(
  {
    robotId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9._-]+$" })),
    host: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
    code: Type.String({
      minLength: 1,
      maxLength: 32,
      description: "the robot's setup code (8 digits; spaces and dashes allowed)",
    }),
  },
  { additionalProperties: false },
);

const CleaningSessionSchema = Type.Object({
  robotId: Type.String(),
  jobId: Type.String(),
  kind: Type.String(),
  trigger: Type.String(),
  startedAt: Type.Number(),
  finishedAt: Type.Union([Type.Number(), Type.Null()]),
  result: Type.Union([Type.String(), Type.Null()]),
  areaM2: Type.Union([Type.Number(), Type.Null()]),
  durationS: Type.Union([Type.Number(), Type.Null()]),
  rooms: Type.Array(Type.Object({ id: Type.String(), areaM2: Type.Number() })),
});

// Query strings arrive as text and the API does not coerce types (app.ts): numbers are digit strings.
const HistoryQuery = Type.Object(
  {
    limit: Type.Optional(
      Type.String({
        pattern: "^[0-9]{1,3}$",
        description: "at most this many sessions, 1 to 500 (default 50)",
      }),
    ),
    before: Type.Optional(
      Type.String({
        pattern: "^[0-9]{1,15}$",
        description: "only sessions that started before this time (ms since the epoch), for paging",
      }),
    ),
  },
  { additionalProperties: false },
);

export async function robotRoutes(app: FastifyInstance): Promise<void> {
  const { robots, cleaning, access } = app.deps;
  app.get(
    "/api/robots",
    {
      config: { access: { auth: "user" } },
      schema: {
        summary: "Paired robots with their live state (members: the robots shared with them)",
        tags: ["robots"],
        response: { 200: Type.Object({ robots: Type.Array(RobotViewSchema) }) },
      },
    },
    (req) => {
      const visible = access.accounts.visibleRobots(actorOf(req));
      return { robots: robots.list().filter((r) => visible === "*" || visible.has(r.id)) };
    },
  );
  app.get<{ Params: { robotId: string } }>(
    "/api/robots/:robotId",
    {
      config: { access: { auth: "user", robotGrant: "view" } },
      schema: {
        summary: "One paired robot",
        tags: ["robots"],
        params: RobotIdParams,
        response: { 200: RobotViewSchema, 404: ErrorResponseSchema },
      },
    },
    (req) => robots.get(req.params.robotId),
  );
  app.post<{ Body: { robotId?: string; host?: string; port?: number; code: string } }>(
    "/api/robots/pair",
    {
      config: { access: { auth: "admin" } },
      schema: {
        summary: "Pair a robot with its setup code (a discovered robotId, or host and port)",
        tags: ["robots"],
        body: PairBody,
        response: {
          201: RobotViewSchema,
          ...robotErrorResponses,
          403: ErrorResponseSchema,
          429: ErrorResponseSchema,
        },
      },
    },
    async (req, reply) => {
      const { robotId, host, port, code } = req.body;
      const actor = actorOf(req);
      // Wrong setup codes lock out the address and the user progressively, on top of the robot's own limit.
      access.pairingGuard.check(actor.ip, actor.userId);
      try {
        const view = await robots.pair({
          code,
          ...(robotId !== undefined ? { robotId } : {}),
          ...(host !== undefined ? { host } : {}),
          ...(port !== undefined ? { port } : {}),
        });
        access.pairingGuard.success(actor.ip, actor.userId);
        access.audit.record({
          action: "robot.paired",
          actor,
          robotId: view.id,
          details: { host: view.address.host },
        });
        return reply.status(201).send(view);
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === "pairing_failed") access.pairingGuard.failure(actor.ip, actor.userId);
        access.audit.record({
          action: "robot.paired",
          outcome: "failed",
          actor,
          robotId: robotId ?? null,
          details: { error: code ?? "internal", ...(host !== undefined ? { host } : {}) },
        });
        throw err;
      }
    },
  );
  app.delete<{ Params: { robotId: string } }>(
    "/api/robots/:robotId",
    {
      config: { access: { auth: "admin" } },
      schema: {
        summary: "Unpair a robot: it forgets the hub, the hub forgets it and its history",
        tags: ["robots"],
        params: RobotIdParams,
        response: { 204: Type.Null(), 404: ErrorResponseSchema },
      },
    },
    async (req, reply) => {
      await access.dataRights.unpair(actorOf(req), req.params.robotId);
      return reply.status(204).send();
    },
  );
  app.get<{ Params: { robotId: string } }>(
    "/api/robots/:robotId/rooms",
    {
      config: { access: { auth: "user", robotGrant: "view" } },
      schema: {
        summary: "Rooms of the robot's current floor",
        tags: ["robots"],
        params: RobotIdParams,
        response: { 200: METHODS["rooms.list"].result, ...robotErrorResponses },
      },
    },
    (req) => robots.query(req.params.robotId, "rooms.list"),
  );
  app.get<{ Params: { robotId: string } }>(
    "/api/robots/:robotId/consumables",
    {
      config: { access: { auth: "user", robotGrant: "view" } },
      schema: {
        summary: "Wear of brushes, filter, mop pad and sensors",
        tags: ["robots"],
        params: RobotIdParams,
        response: { 200: METHODS["consumables.get"].result, ...robotErrorResponses },
      },
    },
    (req) => robots.query(req.params.robotId, "consumables.get"),
  );
  app.get<{ Params: { robotId: string }; Querystring: Static<typeof HistoryQuery> }>(
    "/api/robots/:robotId/history",
    {
      config: { access: { auth: "user", robotGrant: "view", audit: "history.read" } },
      schema: {
        summary: "Cleaning sessions, newest first",
        tags: ["robots"],
        params: RobotIdParams,
        querystring: HistoryQuery,
        response: {
          200: Type.Object({ sessions: Type.Array(CleaningSessionSchema) }),
          404: ErrorResponseSchema,
        },
      },
    },
    (req) => {
      robots.get(req.params.robotId);
      const limit = req.query.limit === undefined ? 50 : Number(req.query.limit);
      if (limit < 1 || limit > 500) {
        throw new HubError("invalid_request", "querystring /limit: must be from 1 to 500", {
          issues: [{ path: "/limit", message: "must be from 1 to 500" }],
        });
      }
      const sessions = cleaning.list(req.params.robotId, {
        limit,
        ...(req.query.before !== undefined ? { before: Number(req.query.before) } : {}),
      });
      return { sessions };
    },
  );
}
