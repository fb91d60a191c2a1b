/**
 * The client WebSocket API at /api/ws (docs/api.md §WebSocket): live robot state and events for dashboards and
 * integrations, plus commands through the same path as HTTP. Every client message is validated; a bad one gets
 * an `error` message and the connection stays open.
 */
import type { FastifyInstance } from "fastify";
import Type, { type Static } from "typebox";
import type { WebSocket } from "ws";
import { schemaIssues, validatorFor } from "../../../integrations/sweep/protocol/envelope.ts";
import { isAdmin, type UserActor } from "../../auth/actor.ts";
import { HubError } from "../../core/errors.ts";
import { toDeltaJson } from "../../maps/map-json.ts";
import { mapJsonOf } from "../../maps/map-service.ts";
import { actorOf } from "../access.ts";

const RobotIds = Type.Union([
  Type.Literal("*"),
  Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 256 }),
]);
const Id = Type.String({ minLength: 1, maxLength: 64 });

export const ClientMessageSchema = Type.Union([
  Type.Object(
    { type: Type.Literal("subscribe"), id: Type.Optional(Id), robots: RobotIds },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal("unsubscribe"), id: Type.Optional(Id) }, { additionalProperties: false }),
  Type.Object(
    {
      type: Type.Literal("command"),
      id: Id,
      robotId: Type.String({ minLength: 1, maxLength: 64 }),
      command: Type.String({ minLength: 1, maxLength: 64 }),
      args: Type.Optional(Type.Object({}, { additionalProperties: true })),
    },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal("ping"), id: Type.Optional(Id) }, { additionalProperties: false }),
  Type.Object(
    {
      type: Type.Literal("map_subscribe"),
      id: Type.Optional(Id),
      robotId: Type.String({ minLength: 1, maxLength: 64 }),
      floor: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal("map_unsubscribe"),
      id: Type.Optional(Id),
      robotId: Type.String({ minLength: 1, maxLength: 64 }),
    },
    { additionalProperties: false },
  ),
]);
export type ClientMessage = Static<typeof ClientMessageSchema>;

/** Close codes the hub uses (4000-4999 are for applications, RFC 6455 §7.4.2). */
export const WS_CLOSE_ACCESS_REVOKED = 4403;

class ClientConnection {
  readonly #socket: WebSocket;
  readonly actor: UserActor;
  #filter: "*" | Set<string> | null = null;
  /** Robots this user may view; refreshed whenever their access changes. */
  visible: "*" | Set<string>;
  /** Robots whose live map this client asked for: robot id -> a fixed floor, or null to follow the robot. */
  readonly maps = new Map<string, string | null>();

  constructor(socket: WebSocket, actor: UserActor, visible: "*" | Set<string>) {
    this.#socket = socket;
    this.actor = actor;
    this.visible = visible;
  }

  mayView(robotId: string): boolean {
    return this.visible === "*" || this.visible.has(robotId);
  }

  wants(robotId: string): boolean {
    if (!this.mayView(robotId)) return false;
    return this.#filter === "*" || (this.#filter?.has(robotId) ?? false);
  }

  get seesDiscovery(): boolean {
    return isAdmin(this.actor.role);
  }

  close(code: number, reason: string): void {
    this.#socket.close(code, reason);
  }

  get subscribed(): boolean {
    return this.#filter !== null;
  }

  subscribe(robots: "*" | string[]): void {
    this.#filter = robots === "*" ? "*" : new Set(robots);
  }

  unsubscribe(): void {
    this.#filter = null;
  }

  send(message: Record<string, unknown>): void {
    if (this.#socket.readyState === this.#socket.OPEN) this.#socket.send(JSON.stringify(message));
  }
}

export async function websocketRoutes(app: FastifyInstance): Promise<void> {
  const { robots, bus, discovery, access } = app.deps;
  const clients = new Set<ClientConnection>();
  const owner = {};
  bus.on("robotUpdated", owner, ({ robot }) => {
    for (const c of clients) if (c.wants(robot.id)) c.send({ type: "robot", robot });
  });
  bus.on("robotRemoved", owner, ({ robotId }) => {
    for (const c of clients) if (c.wants(robotId)) c.send({ type: "robot_removed", robotId });
  });
  bus.on("robotEvent", owner, ({ robotId, name, payload }) => {
    for (const c of clients) if (c.wants(robotId)) c.send({ type: "event", robotId, name, payload });
  });
  bus.on("discoveryChanged", owner, () => {
    const list = discovery?.list() ?? [];
    for (const c of clients) if (c.subscribed && c.seesDiscovery) c.send({ type: "discovery", robots: list });
  });
  // Revocation is immediate (docs/api.md "Accounts and access"): a revoked credential, a deleted user or a
  // changed role closes the connection; a withdrawn grant drops that robot from the subscription.
  bus.on("accessChanged", owner, ({ userId }) => {
    for (const c of clients) {
      if (c.actor.userId !== userId) continue;
      if (!access.signIn.isValid(c.actor)) {
        c.send({ type: "access_revoked", message: "Your access was revoked; sign in again" });
        c.close(WS_CLOSE_ACCESS_REVOKED, "access revoked");
        clients.delete(c);
        continue;
      }
      const before = c.visible;
      c.visible = access.accounts.visibleRobots(c.actor);
      if (before === "*") continue;
      for (const robotId of before) {
        if (!c.mayView(robotId)) c.send({ type: "robot_removed", robotId, reason: "access_revoked" });
      }
      // A robot just shared with them appears at once, without re-subscribing.
      for (const robot of robots.list())
        if (!before.has(robot.id) && c.wants(robot.id)) c.send({ type: "robot", robot });
    }
  });
  // Live maps (docs/api.md "Maps"): whole maps when the layout changes, deltas while the robot moves.
  const mapClients = (robotId: string, floor: string) =>
    [...clients].filter((c) => {
      if (!c.maps.has(robotId) || !c.mayView(robotId)) return false;
      const wanted = c.maps.get(robotId) ?? robots.get(robotId).state?.floor;
      return wanted === floor;
    });
  bus.on("mapUpdated", owner, ({ robotId, floor, delta }) => {
    const maps = app.deps.maps;
    if (!maps) return;
    const targets = mapClients(robotId, floor);
    if (targets.length === 0) return;
    const message = delta
      ? { type: "map_delta", robotId, delta: toDeltaJson(delta) }
      : { type: "map", robotId, map: mapJsonOf(maps, robotId, maps.get(robotId, floor)) };
    for (const c of targets) c.send(message);
  });
  bus.on("mapError", owner, ({ robotId, code, message }) => {
    for (const c of clients) {
      if (c.maps.has(robotId) && c.mayView(robotId))
        c.send({ type: "map_error", robotId, error: { code, message } });
    }
  });
  // Notifications (docs/api.md "Notifications") reach only their user's own connections, subscribed or not.
  bus.on("noticeRaised", owner, ({ notice }) => {
    const unread = access.notices.unread(notice.userId);
    for (const c of clients) if (c.actor.userId === notice.userId) c.send({ type: "notice", notice, unread });
  });
  app.addHook("onClose", async () => bus.removeAll(owner));

  app.get(
    "/api/ws",
    { websocket: true, config: { access: { auth: "user" } }, schema: { hide: true } },
    (socket, req) => {
      const actor = actorOf(req);
      const client = new ClientConnection(socket, actor, access.accounts.visibleRobots(actor));
      clients.add(client);
      socket.on("close", () => clients.delete(client));
      socket.on("message", (data, isBinary) => {
        void handleMessage(client, data as Buffer, isBinary);
      });
      client.send({ type: "hello", version: app.deps.version });
    },
  );

  async function handleMessage(client: ClientConnection, data: Buffer, isBinary: boolean): Promise<void> {
    if (isBinary) {
      client.send({ type: "error", error: { code: "invalid_request", message: "Send JSON text messages" } });
      return;
    }
    let msg: unknown;
    try {
      msg = JSON.parse(data.toString("utf8"));
    } catch {
      client.send({
        type: "error",
        error: { code: "invalid_request", message: "Message is not valid JSON" },
      });
      return;
    }
    if (!validatorFor(ClientMessageSchema).Check(msg)) {
      const id = typeof (msg as { id?: unknown })?.id === "string" ? (msg as { id: string }).id : undefined;
      const issues = schemaIssues(ClientMessageSchema, msg);
      client.send({
        type: "error",
        ...(id ? { id } : {}),
        error: {
          code: "invalid_request",
          message:
            "Unknown or malformed message; expected subscribe, unsubscribe, command, ping, map_subscribe or map_unsubscribe",
          details: { issues },
        },
      });
      return;
    }
    const m = msg as ClientMessage;
    switch (m.type) {
      case "subscribe":
        client.subscribe(m.robots);
        client.send({
          type: "snapshot",
          ...(m.id ? { id: m.id } : {}),
          robots: robots.list().filter((r) => client.wants(r.id)),
          discovery: client.seesDiscovery ? (discovery?.list() ?? []) : [],
        });
        return;
      case "unsubscribe":
        client.unsubscribe();
        client.send({ type: "unsubscribed", ...(m.id ? { id: m.id } : {}) });
        return;
      case "ping":
        client.send({ type: "pong", ...(m.id ? { id: m.id } : {}) });
        return;
      case "map_subscribe":
        mapSubscribe(client, m.robotId, m.floor ?? null, m.id);
        return;
      case "map_unsubscribe":
        client.maps.delete(m.robotId);
        client.send({ type: "map_unsubscribed", robotId: m.robotId, ...(m.id ? { id: m.id } : {}) });
        return;
      case "command":
        try {
          const robot = await robots.command(m.robotId, m.command, m.args ?? {}, "websocket", client.actor);
          client.send({ type: "result", id: m.id, robot });
        } catch (err) {
          const e = err instanceof HubError ? err : new HubError("internal");
          if (!(err instanceof HubError)) app.log.error({ err }, "websocket command failed");
          client.send({ type: "error", id: m.id, ...e.toJSON() });
        }
        return;
    }
  }

  /** A client that joins late starts from the whole map; deltas follow (docs/api.md "Maps"). */
  function mapSubscribe(client: ClientConnection, robotId: string, floor: string | null, id?: string): void {
    const reply = id ? { id } : {};
    try {
      const maps = app.deps.maps;
      robots.get(robotId);
      if (!client.mayView(robotId)) throw new HubError("robot_access_denied");
      if (!maps) throw new HubError("map_not_found");
      client.maps.set(robotId, floor);
      access.audit.record({
        action: "map.read",
        actor: client.actor,
        robotId,
        details: { via: "websocket" },
      });
      const held = maps.get(robotId, floor ?? undefined);
      client.send({ type: "map", ...reply, robotId, map: mapJsonOf(maps, robotId, held) });
    } catch (err) {
      const e = err instanceof HubError ? err : new HubError("internal");
      if (!(err instanceof HubError)) app.log.error({ err }, "websocket map subscription failed");
      // Without a map yet the subscription stays: the map is sent as soon as it arrives.
      client.send({ type: "error", ...reply, robotId, ...e.toJSON() });
    }
  }
}
