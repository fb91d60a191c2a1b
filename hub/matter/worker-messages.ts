/**
 * The messages between the hub (main thread, MatterService) and the Matter worker thread (matter-worker.ts),
 * which hosts matter.js so its 2+ s start-up and its per-update attribute writes never block the hub's event
 * loop. Both sides validate what they receive against these schemas, like any other boundary: a message that
 * does not match is logged and dropped, never acted on. Free of matter.js, so the hub can load it.
 *
 * Ownership: the main thread owns robots, commands and SQLite; the worker owns the Matter nodes and their
 * storage (data/matter). The worker asks the main thread (`request`) whenever it needs the hub; the main thread
 * asks the worker (`call`) for node information and node changes the API makes.
 */
import Type, { type Static, type TSchema } from "typebox";
import { schemaIssues, validatorFor } from "../../integrations/sweep/protocol/envelope.ts";
import { CleaningFinishedSchema } from "../../integrations/sweep/protocol/methods.ts";
import { LOG_LEVELS, MatterSectionSchema } from "../config/schema.ts";
import { HUB_ERRORS, HubError, type HubErrorCode } from "../core/errors.ts";
import { RobotViewSchema } from "../core/robot-view.ts";
import { MatterNodeInfoSchema } from "./matter-types.ts";

const Id = Type.Integer({ minimum: 1 });

export const KnownAreasSchema = Type.Object(
  {
    maps: Type.Array(Type.Object({ floor: Type.String(), mapId: Type.Integer() })),
    areas: Type.Array(
      Type.Object({
        floor: Type.String(),
        roomId: Type.String(),
        areaId: Type.Integer(),
        name: Type.String(),
      }),
    ),
  },
  { additionalProperties: false },
);
export type KnownAreas = Static<typeof KnownAreasSchema>;

export const NodeAllocationSchema = Type.Object({
  nodeKey: Type.String(),
  robotId: Type.Union([Type.String(), Type.Null()]),
  port: Type.Integer({ minimum: 1, maximum: 65535 }),
  discriminator: Type.Integer({ minimum: 0, maximum: 4095 }),
  passcode: Type.Integer({ minimum: 1, maximum: 99999998 }),
  createdAt: Type.Number(),
});
export type NodeAllocation = Static<typeof NodeAllocationSchema>;

/** A HubError as it crosses the thread boundary (its class does not survive structured cloning). */
const ErrorBody = Type.Object({ code: Type.String(), message: Type.String() });
export type ErrorBody = Static<typeof ErrorBody>;

export function errorBodyOf(err: unknown): ErrorBody {
  if (err instanceof HubError) return { code: err.code, message: err.message };
  return { code: "internal", message: err instanceof Error ? err.message : String(err) };
}

/** The HubError back on the other side (an unknown code, i.e. a bug, becomes `internal`). */
export const hubErrorOf = (e: ErrorBody): HubError =>
  new HubError(Object.hasOwn(HUB_ERRORS, e.code) ? (e.code as HubErrorCode) : "internal", e.message);

const Result = Type.Union([
  Type.Object({ type: Type.Literal("result"), id: Id, ok: Type.Literal(true), value: Type.Unknown() }),
  Type.Object({ type: Type.Literal("result"), id: Id, ok: Type.Literal(false), error: ErrorBody }),
]);
export type ResultMessage = Static<typeof Result>;

// ---- main thread -> worker ------------------------------------------------------------------------------

const RobotEntry = Type.Object({ view: RobotViewSchema, paired: Type.Boolean() });

export const ToWorkerSchema = Type.Union([
  Type.Object({
    type: Type.Literal("init"),
    config: MatterSectionSchema,
    hubName: Type.String(),
    hubVersion: Type.String(),
    storageDir: Type.String(),
    logLevel: Type.Enum(LOG_LEVELS),
    robots: Type.Array(RobotEntry),
  }),
  /** robotUpdated: every state change of every robot (the worker skips writes that change nothing). */
  Type.Object({ type: Type.Literal("robot"), view: RobotViewSchema, paired: Type.Boolean() }),
  Type.Object({ type: Type.Literal("removed"), robotId: Type.String() }),
  /** The robot's rooms changed (renamed, merged, split, a new map): re-read them. */
  Type.Object({ type: Type.Literal("rooms"), robotId: Type.String() }),
  Type.Object({ type: Type.Literal("finished"), robotId: Type.String(), payload: CleaningFinishedSchema }),
  Type.Object({
    type: Type.Literal("call"),
    id: Id,
    /** `collectGarbage`: a full GC in the worker (needs node --expose-gc), answers the worker's heap in use. */
    method: Type.Enum(["nodes", "node", "openWindow", "removeFabric", "settled", "collectGarbage"] as const),
    robotId: Type.Optional(Type.String()),
    fabricIndex: Type.Optional(Type.Integer({ minimum: 1, maximum: 254 })),
  }),
  Result,
  /** The hub's log level changed at runtime (PUT /api/system/log-level): the worker and matter.js follow it. */
  Type.Object({ type: Type.Literal("logLevel"), level: Type.Enum(LOG_LEVELS) }),
  Type.Object({ type: Type.Literal("stop") }),
  /** Tests of the crash handling: the worker throws an uncaught error, as a bug in matter.js would. */
  Type.Object({ type: Type.Literal("crash") }),
]);
export type ToWorker = Static<typeof ToWorkerSchema>;
export type WorkerCall = Extract<ToWorker, { type: "call" }>;

// ---- worker -> main thread ------------------------------------------------------------------------------

export const FromWorkerSchema = Type.Union([
  /** Every robot present at start is exposed and every node is online. */
  Type.Object({ type: Type.Literal("ready") }),
  /** Start-up failed, or the worker hit an uncaught error: it closes its nodes and exits; `error` says why. */
  Type.Object({ type: Type.Literal("failed"), error: Type.String() }),
  /** The nodes as they are now, pushed whenever they change (for the synchronous `status()`, metrics). */
  Type.Object({ type: Type.Literal("nodes"), nodes: Type.Array(MatterNodeInfoSchema) }),
  /** One pino line from the worker, already redacted there; the hub's logger writes it. */
  Type.Object({ type: Type.Literal("log"), line: Type.String() }),
  Type.Object({
    type: Type.Literal("request"),
    id: Id,
    op: Type.Enum(["command", "rooms", "known", "allocate", "forget"] as const),
    robotId: Type.Optional(Type.String()),
    nodeKey: Type.Optional(Type.String()),
    name: Type.Optional(Type.String()),
    args: Type.Optional(Type.Unknown()),
  }),
  Result,
  /**
   * The nodes are closed and their storage flushed. `leftover` lists the event-loop resources still open in the
   * worker (sockets, timers): after a clean stop there should be none of matter.js's UDP sockets.
   */
  Type.Object({ type: Type.Literal("stopped"), leftover: Type.Array(Type.String()) }),
]);
export type FromWorker = Static<typeof FromWorkerSchema>;
export type WorkerRequest = Extract<FromWorker, { type: "request" }>;

/**
 * A compiled check that returns the message typed, or its first problem for the log. The problem is taken from
 * the variants with the message's own `type`, so it names the field that is wrong rather than a mismatch with
 * the first variant of the union.
 */
export function checker<T extends TSchema>(schema: T) {
  const variants = new Map<unknown, TSchema[]>();
  const collect = (s: TSchema) => {
    const any = (s as { anyOf?: TSchema[] }).anyOf;
    if (any) for (const v of any) collect(v);
    else {
      const type = (s as { properties?: { type?: { const?: unknown } } }).properties?.type?.const;
      variants.set(type, [...(variants.get(type) ?? []), s]);
    }
  };
  collect(schema);
  return (value: unknown): { ok: true; value: Static<T> } | { ok: false; problem: string } => {
    if (validatorFor(schema).Check(value)) return { ok: true, value: value as Static<T> };
    const type = (value as { type?: unknown } | null)?.type;
    const own = variants.get(type)?.[0];
    if (!own) return { ok: false, problem: `unknown message type ${JSON.stringify(type)}` };
    const first = schemaIssues(own, value)[0];
    return { ok: false, problem: first ? `${first.path} ${first.message}` : "invalid" };
  };
}

export const checkToWorker = checker(ToWorkerSchema);
export const checkFromWorker = checker(FromWorkerSchema);

/**
 * What the hub answers to each request of the worker: results cross the boundary as `unknown` and are checked
 * against these before the worker uses them (a port or passcode from a wrong answer must never reach a node).
 */
export const REQUEST_RESULTS = {
  command: RobotViewSchema,
  rooms: KnownAreasSchema,
  known: KnownAreasSchema,
  allocate: NodeAllocationSchema,
  forget: Type.Null(),
} as const;

/** The checked result of a request, or an error that names the wrong field. */
export function checkRequestResult<Op extends keyof typeof REQUEST_RESULTS>(
  op: Op,
  value: unknown,
): { ok: true; value: Static<(typeof REQUEST_RESULTS)[Op]> } | { ok: false; problem: string } {
  const schema: TSchema = REQUEST_RESULTS[op];
  if (validatorFor(schema).Check(value))
    return { ok: true, value: value as Static<(typeof REQUEST_RESULTS)[Op]> };
  const first = schemaIssues(schema, value)[0];
  return { ok: false, problem: first ? `${first.path || "/"} ${first.message}` : "invalid" };
}
