/**
 * Maps (docs/api.md "Maps"): the current map of a floor as JSON, binary frame, PNG and Valetudo JSON, session
 * snapshots, room and restriction editing, the floor, and Valetudo import. Reads need `view` access to the robot
 * and are audited; edits need `control`.
 */
import { randomUUID } from "node:crypto";
import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from "fastify";
import Type from "typebox";
import { encodeFullFrame } from "../../../integrations/sweep/protocol/map-frame.ts";
import {
  MapRoomIdSchema,
  RESTRICTION_KINDS,
  type Restriction,
  RestrictionSchema,
  type RobotMap,
} from "../../../integrations/sweep/protocol/map-model.ts";
import { HubError } from "../../core/errors.ts";
import { jsonRooms, MapJsonSchema, roomLabels, toMapJson } from "../../maps/map-json.ts";
import { MAX_PNG_PIXELS, MAX_PNG_SCALE, renderMapPng } from "../../maps/map-png.ts";
import { type HeldMap, type MapService, mapJsonOf } from "../../maps/map-service.ts";
import { fromValetudoMap, toValetudoMap } from "../../maps/valetudo-map.ts";
import { actorOf } from "../access.ts";
import { ErrorResponseSchema, RobotIdParams, robotErrorResponses } from "../schemas.ts";

const read = { access: { auth: "user", robotGrant: "view", audit: "map.read" } } as FastifyContextConfig;
const edit = { access: { auth: "user", robotGrant: "control" } } as FastifyContextConfig;

const FloorQuery = Type.Object(
  { floor: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) },
  { additionalProperties: false },
);
const Floor = Type.Optional(Type.String({ minLength: 1, maxLength: 64 }));
const Mm = Type.Number({ minimum: -1e7, maximum: 1e7 });
const RestrictionBody = Type.Object(
  { kind: Type.Enum(RESTRICTION_KINDS), x1: Mm, y1: Mm, x2: Mm, y2: Mm },
  { additionalProperties: false },
);
const RoomParams = Type.Object(
  { robotId: RobotIdParams.properties.robotId, roomId: MapRoomIdSchema },
  { additionalProperties: false },
);
const RestrictionParams = Type.Object(
  { robotId: RobotIdParams.properties.robotId, id: RestrictionSchema.properties.id },
  { additionalProperties: false },
);
const errors = { ...robotErrorResponses, 422: ErrorResponseSchema };
const mapReply = { 200: MapJsonSchema, ...errors };
/** Valetudo maps can be large (a pathological mock map is 3.6 MB); this route alone accepts up to 16 MiB. */
const VALETUDO_BODY_LIMIT = 16 * 1024 * 1024;

type FloorQ = { floor?: string };

export function mapRoutes(maps: MapService) {
  return async (app: FastifyInstance): Promise<void> => {
    const json = (robotId: string, held: HeldMap) => mapJsonOf(maps, robotId, held);

    app.get<{ Params: { robotId: string } }>(
      "/api/robots/:robotId/maps",
      {
        config: read,
        schema: {
          summary: "The robot's floors and the maps the hub has of them",
          tags: ["maps"],
          params: RobotIdParams,
          response: {
            200: Type.Object({
              currentFloor: Type.Union([Type.String(), Type.Null()]),
              floors: Type.Array(
                Type.Object({
                  floor: Type.String(),
                  version: Type.Union([Type.Integer(), Type.Null()]),
                  updatedAt: Type.Union([Type.Number(), Type.Null()]),
                  rooms: Type.Integer(),
                }),
              ),
            }),
            404: ErrorResponseSchema,
          },
        },
      },
      (req) => {
        const { currentFloor, floors } = maps.floors(req.params.robotId);
        return {
          currentFloor,
          floors: floors.map((floor) => {
            let held: HeldMap | null = null;
            try {
              held = maps.get(req.params.robotId, floor);
            } catch {
              held = null;
            }
            return {
              floor,
              version: held?.map.version ?? null,
              updatedAt: held?.updatedAt ?? null,
              rooms: held?.map.rooms.length ?? 0,
            };
          }),
        };
      },
    );

    app.get<{ Params: { robotId: string }; Querystring: FloorQ }>(
      "/api/robots/:robotId/map",
      {
        config: read,
        schema: {
          summary: "The current map of a floor (default: the robot's current floor) as Map JSON",
          tags: ["maps"],
          params: RobotIdParams,
          querystring: FloorQuery,
          response: { 200: MapJsonSchema, 404: ErrorResponseSchema },
        },
      },
      (req) => json(req.params.robotId, maps.get(req.params.robotId, req.query.floor)),
    );

    app.get<{ Params: { robotId: string }; Querystring: FloorQ }>(
      "/api/robots/:robotId/map/frame",
      {
        config: read,
        schema: {
          summary: "The current map as a binary full frame (docs/protocol.md §8)",
          tags: ["maps"],
          params: RobotIdParams,
          querystring: FloorQuery,
          produces: ["application/octet-stream"],
        },
      },
      (req, reply) => {
        const held = maps.get(req.params.robotId, req.query.floor);
        return reply.type("application/octet-stream").send(encodeFullFrame(held.map));
      },
    );

    const pngQuery = Type.Object(
      {
        floor: Floor,
        // Query strings are not coerced (app.ts): a digit string, checked here.
        scale: Type.Optional(
          Type.String({ pattern: `^[1-${MAX_PNG_SCALE}]$`, description: "pixels per cell, 1-8" }),
        ),
      },
      { additionalProperties: false },
    );
    const sendPng = async (
      robotId: string,
      held: HeldMap,
      scale: number,
      reply: { type(t: string): { send(b: Buffer): unknown } },
    ) => {
      const { map } = held;
      if (map.width * map.height * scale * scale > MAX_PNG_PIXELS) {
        throw new HubError(
          "invalid_request",
          `This map is too large for scale ${scale}; use a smaller scale`,
        );
      }
      const png = await renderMapPng(map, json(robotId, held).rooms, scale);
      return reply.type("image/png").send(png);
    };
    app.get<{ Params: { robotId: string }; Querystring: FloorQ & { scale?: string } }>(
      "/api/robots/:robotId/map/image.png",
      {
        config: read,
        schema: {
          summary: "The map as a PNG: rooms coloured and named, restrictions, path, dock and robot",
          description: "`scale` is image pixels per map cell (default 2).",
          tags: ["maps"],
          params: RobotIdParams,
          querystring: pngQuery,
          produces: ["image/png"],
        },
      },
      async (req, reply) =>
        sendPng(
          req.params.robotId,
          maps.get(req.params.robotId, req.query.floor),
          Number(req.query.scale ?? 2),
          reply,
        ),
    );

    app.get<{ Params: { robotId: string }; Querystring: FloorQ }>(
      "/api/robots/:robotId/map/valetudo",
      {
        config: read,
        schema: {
          summary: "The map as Valetudo map JSON (ValetudoMap v2)",
          tags: ["maps"],
          params: RobotIdParams,
          querystring: FloorQuery,
        },
      },
      (req) => {
        const held = maps.get(req.params.robotId, req.query.floor);
        return toValetudoMap(held.map, json(req.params.robotId, held).rooms);
      },
    );

    app.get<{ Params: { robotId: string } }>(
      "/api/robots/:robotId/map/snapshots",
      {
        config: read,
        schema: {
          summary: "Maps kept at the end of cleaning sessions, newest first",
          tags: ["maps"],
          params: RobotIdParams,
          response: {
            200: Type.Object({
              snapshots: Type.Array(
                Type.Object({
                  jobId: Type.String(),
                  floor: Type.String(),
                  version: Type.Integer(),
                  createdAt: Type.Number(),
                }),
              ),
            }),
            404: ErrorResponseSchema,
          },
        },
      },
      (req) => ({ snapshots: maps.snapshots(req.params.robotId) }),
    );

    app.get<{ Params: { robotId: string; jobId: string }; Querystring: { format?: "json" | "png" } }>(
      "/api/robots/:robotId/map/snapshots/:jobId",
      {
        config: read,
        schema: {
          summary: "The map as it was when a cleaning session ended (Map JSON, or PNG with ?format=png)",
          tags: ["maps"],
          params: Type.Object(
            {
              robotId: RobotIdParams.properties.robotId,
              jobId: Type.String({ minLength: 1, maxLength: 64 }),
            },
            { additionalProperties: false },
          ),
          querystring: Type.Object(
            { format: Type.Optional(Type.Enum(["json", "png"] as const)) },
            { additionalProperties: false },
          ),
        },
      },
      async (req, reply) => {
        const held = maps.snapshot(req.params.robotId, req.params.jobId);
        if (req.query.format === "png") return sendPng(req.params.robotId, held, 2, reply);
        return json(req.params.robotId, held);
      },
    );

    app.post<{ Body: unknown; Querystring: FloorQ }>(
      "/api/maps/import/valetudo",
      {
        config: { access: { auth: "user" } } as FastifyContextConfig,
        bodyLimit: VALETUDO_BODY_LIMIT,
        schema: {
          summary: "Convert a Valetudo map (ValetudoMap JSON) into Map JSON",
          tags: ["maps"],
          querystring: FloorQuery,
          body: Type.Object({}, { additionalProperties: true }),
          response: { 200: MapJsonSchema, 400: ErrorResponseSchema },
        },
      },
      (req) => {
        const map = fromValetudoMap(req.body, req.query.floor ?? "main");
        return importedJson(map);
      },
    );

    // ---- editing ---------------------------------------------------------------------------------------

    app.patch<{
      Params: { robotId: string; roomId: string };
      Querystring: FloorQ;
      Body: { name?: string; color?: string; order?: number };
    }>(
      "/api/robots/:robotId/map/rooms/:roomId",
      {
        config: edit,
        schema: {
          summary: "Rename a room (also on the robot), or set its colour or place in lists",
          tags: ["maps"],
          params: RoomParams,
          querystring: FloorQuery,
          body: Type.Object(
            {
              name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: "\\S" })),
              color: Type.Optional(Type.String({ pattern: "^#[0-9a-fA-F]{6}$" })),
              order: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
            },
            { additionalProperties: false, minProperties: 1 },
          ),
          response: mapReply,
        },
      },
      async (req) => {
        const { robotId, roomId } = req.params;
        const body = { ...req.body, ...(req.body.color ? { color: req.body.color.toLowerCase() } : {}) };
        return json(
          robotId,
          await maps.updateRoom(robotId, roomId, body, req.query.floor, "api", actorOf(req)),
        );
      },
    );

    app.put<{ Params: { robotId: string }; Body: { floor?: string; rooms: string[] } }>(
      "/api/robots/:robotId/map/rooms/order",
      {
        config: edit,
        schema: {
          summary: "Put the rooms of a floor in order (lists, the room picker, cleaning every room)",
          description:
            "`rooms` names every room of the floor once, first to last; all are saved together. A list that " +
            "misses a room (the map changed since it was read) is refused with `room_order_mismatch`.",
          tags: ["maps"],
          params: RobotIdParams,
          body: Type.Object(
            {
              floor: Floor,
              rooms: Type.Array(MapRoomIdSchema, { minItems: 1, maxItems: 1000, uniqueItems: true }),
            },
            { additionalProperties: false },
          ),
          response: mapReply,
        },
      },
      (req) =>
        json(req.params.robotId, maps.setRoomOrder(req.params.robotId, req.body.rooms, req.body.floor)),
    );

    app.post<{ Params: { robotId: string }; Body: { floor?: string; rooms: [string, string] } }>(
      "/api/robots/:robotId/map/rooms/merge",
      {
        config: edit,
        schema: {
          summary: "Merge two neighbouring rooms; the second joins the first",
          tags: ["maps"],
          params: RobotIdParams,
          body: Type.Object(
            { floor: Floor, rooms: Type.Array(MapRoomIdSchema, { minItems: 2, maxItems: 2 }) },
            { additionalProperties: false },
          ),
          response: mapReply,
        },
      },
      async (req) =>
        json(
          req.params.robotId,
          await maps.mergeRooms(req.params.robotId, req.body.rooms, req.body.floor, "api", actorOf(req)),
        ),
    );

    app.post<{
      Params: { robotId: string };
      Body: { floor?: string; room: string; line: { x1: number; y1: number; x2: number; y2: number } };
    }>(
      "/api/robots/:robotId/map/rooms/split",
      {
        config: edit,
        schema: {
          summary: "Split a room along a line; the part right of the line becomes a new room",
          tags: ["maps"],
          params: RobotIdParams,
          body: Type.Object(
            {
              floor: Floor,
              room: MapRoomIdSchema,
              line: Type.Object({ x1: Mm, y1: Mm, x2: Mm, y2: Mm }, { additionalProperties: false }),
            },
            { additionalProperties: false },
          ),
          response: mapReply,
        },
      },
      async (req) => {
        const { robotId } = req.params;
        return json(
          robotId,
          await maps.splitRoom(robotId, req.body.room, req.body.line, req.body.floor, "api", actorOf(req)),
        );
      },
    );

    app.get<{ Params: { robotId: string }; Querystring: FloorQ }>(
      "/api/robots/:robotId/map/restrictions",
      {
        config: read,
        schema: {
          summary: "No-go areas, no-mop areas and virtual walls of a floor",
          tags: ["maps"],
          params: RobotIdParams,
          querystring: FloorQuery,
          response: {
            200: Type.Object({ floor: Type.String(), restrictions: Type.Array(RestrictionSchema) }),
            404: ErrorResponseSchema,
          },
        },
      },
      (req) => {
        const { map } = maps.get(req.params.robotId, req.query.floor);
        return { floor: map.floor, restrictions: map.restrictions };
      },
    );

    const setList = async (
      req: FastifyRequest,
      robotId: string,
      floor: string | undefined,
      change: (list: Restriction[]) => Restriction[],
    ) => {
      const { map } = maps.get(robotId, floor);
      const list = change([...map.restrictions]);
      return json(robotId, await maps.setRestrictions(robotId, list, map.floor, "api", actorOf(req)));
    };

    app.post<{ Params: { robotId: string }; Querystring: FloorQ; Body: Omit<Restriction, "id"> }>(
      "/api/robots/:robotId/map/restrictions",
      {
        config: edit,
        schema: {
          summary: "Add a no-go area, no-mop area or virtual wall",
          tags: ["maps"],
          params: RobotIdParams,
          querystring: FloorQuery,
          body: RestrictionBody,
          response: { 201: MapJsonSchema, ...errors },
        },
      },
      async (req, reply) => {
        const id = `r-${randomUUID().slice(0, 8)}`;
        const out = await setList(req, req.params.robotId, req.query.floor, (list) => [
          ...list,
          { id, ...req.body },
        ]);
        return reply.status(201).send(out);
      },
    );

    app.put<{ Params: { robotId: string; id: string }; Querystring: FloorQ; Body: Omit<Restriction, "id"> }>(
      "/api/robots/:robotId/map/restrictions/:id",
      {
        config: edit,
        schema: {
          summary: "Change a restriction",
          tags: ["maps"],
          params: RestrictionParams,
          querystring: FloorQuery,
          body: RestrictionBody,
          response: mapReply,
        },
      },
      async (req) =>
        setList(req, req.params.robotId, req.query.floor, (list) => {
          const i = list.findIndex((r) => r.id === req.params.id);
          if (i < 0) throw new HubError("restriction_not_found", undefined, { id: req.params.id });
          list[i] = { id: req.params.id, ...req.body };
          return list;
        }),
    );

    app.delete<{ Params: { robotId: string; id: string }; Querystring: FloorQ }>(
      "/api/robots/:robotId/map/restrictions/:id",
      {
        config: edit,
        schema: {
          summary: "Remove a restriction",
          tags: ["maps"],
          params: RestrictionParams,
          querystring: FloorQuery,
          response: mapReply,
        },
      },
      async (req) =>
        setList(req, req.params.robotId, req.query.floor, (list) => {
          if (!list.some((r) => r.id === req.params.id)) {
            throw new HubError("restriction_not_found", undefined, { id: req.params.id });
          }
          return list.filter((r) => r.id !== req.params.id);
        }),
    );

    app.put<{ Params: { robotId: string }; Body: { floor: string } }>(
      "/api/robots/:robotId/map/floor",
      {
        config: edit,
        schema: {
          summary: "Tell the robot which floor it stands on (after carrying it)",
          tags: ["maps"],
          params: RobotIdParams,
          body: Type.Object(
            { floor: Type.String({ minLength: 1, maxLength: 64 }) },
            { additionalProperties: false },
          ),
          response: mapReply,
        },
      },
      async (req) =>
        json(
          req.params.robotId,
          await maps.setFloor(req.params.robotId, req.body.floor, "api", actorOf(req)),
        ),
    );
  };
}

/** An imported map belongs to no robot: its rooms carry their own names and default colours. */
function importedJson(map: RobotMap) {
  return toMapJson(map, {
    robotId: "",
    floors: [map.floor],
    currentFloor: null,
    updatedAt: Date.now(),
    rooms: jsonRooms(map, () => undefined, roomLabels(map)),
  });
}
