/**
 * Every request type of the protocol, with its payload and result schemas, and every event type with its
 * payload schema (docs/protocol.md §3 and §4). Robots and hubs validate against this table; the docs and the
 * capability list are derived from it.
 */
import Type, { type Static, type TSchema } from "typebox";
import {
  MAP_REQUEST_FLOOR,
  MAX_RESTRICTIONS,
  MapFloorIdSchema,
  MapRoomIdSchema,
  RESTRICTION_KINDS,
  RestrictionSchema,
} from "./map-model.ts";
import {
  CleanModeSchema,
  ConsumableIdSchema,
  ConsumableSchema,
  FanSpeedSchema,
  JobSchema,
  PoseSchema,
  RobotErrorSchema,
  RobotInfoSchema,
  RobotStateSchema,
  RoomSchema,
  WaterLevelSchema,
  ZoneSchema,
} from "./robot-state.ts";

const Empty = Type.Object({}, { additionalProperties: false });
const Base64 = (maxLength: number) => Type.String({ pattern: "^[A-Za-z0-9+/]*={0,2}$", maxLength });
const StateResult = Type.Object({ state: RobotStateSchema }, { additionalProperties: false });
/** Answer of every map method, sent after the binary full frame of that floor (docs/protocol.md "Maps"). */
const MapResult = Type.Object(
  {
    floor: MapFloorIdSchema,
    version: Type.Integer({ minimum: 0, maximum: 0xffffffff }),
    /** A room the request created (split) or kept (merge); absent otherwise. */
    room: Type.Optional(MapRoomIdSchema),
  },
  { additionalProperties: false },
);

/** Capability names (like Valetudo's capabilities): a robot lists the ones it implements in `hello`. */
export const CAPABILITIES = [
  "basic_control",
  "locate",
  "fan_speed",
  "water_level",
  "clean_mode",
  "room_cleaning",
  "zone_cleaning",
  "go_to",
  "consumables",
  "map",
  "map_segments_edit",
  "restrictions",
  "mapping_pass",
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export const CapabilitiesSchema = Type.Object(
  {
    basic_control: Type.Optional(Type.Object({}, { additionalProperties: false })),
    locate: Type.Optional(Type.Object({}, { additionalProperties: false })),
    fan_speed: Type.Optional(Type.Object({ presets: Type.Array(FanSpeedSchema, { minItems: 1 }) })),
    water_level: Type.Optional(Type.Object({ presets: Type.Array(WaterLevelSchema, { minItems: 1 }) })),
    clean_mode: Type.Optional(Type.Object({ modes: Type.Array(CleanModeSchema, { minItems: 1 }) })),
    room_cleaning: Type.Optional(Type.Object({ maxRepeats: Type.Integer({ minimum: 1, maximum: 10 }) })),
    zone_cleaning: Type.Optional(
      Type.Object({ maxZones: Type.Integer({ minimum: 1 }), maxRepeats: Type.Integer({ minimum: 1 }) }),
    ),
    go_to: Type.Optional(Type.Object({}, { additionalProperties: false })),
    consumables: Type.Optional(Type.Object({ ids: Type.Array(ConsumableIdSchema) })),
    map: Type.Optional(
      Type.Object({
        floors: Type.Array(MapFloorIdSchema, { minItems: 1 }),
        maxFrameBytes: Type.Integer({ minimum: 1 }),
      }),
    ),
    map_segments_edit: Type.Optional(Type.Object({}, { additionalProperties: false })),
    restrictions: Type.Optional(
      Type.Object({
        kinds: Type.Array(Type.Enum(RESTRICTION_KINDS), { minItems: 1 }),
        max: Type.Integer({ minimum: 1, maximum: MAX_RESTRICTIONS }),
      }),
    ),
    mapping_pass: Type.Optional(Type.Object({}, { additionalProperties: false })),
  },
  // Unknown capabilities from newer robots are allowed and ignored (forward compatibility, §3.1).
  { additionalProperties: true },
);
export type Capabilities = Static<typeof CapabilitiesSchema>;

interface MethodSpec {
  /** Capability a robot must list to accept this request; null for protocol-level requests. */
  capability: Capability | null;
  /** Whether it is accepted on a connection whose client certificate is not yet paired. */
  beforePairing: boolean;
  payload: TSchema;
  result: TSchema;
  summary: string;
}

const method = <P extends TSchema, R extends TSchema>(
  spec: Omit<MethodSpec, "payload" | "result"> & { payload: P; result: R },
) => spec;

export const METHODS = {
  hello: method({
    capability: null,
    beforePairing: true,
    summary:
      "Open the session: agree on the protocol version, learn the robot, its capabilities and whether this hub is paired.",
    payload: Type.Object(
      {
        proto: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 16 }),
        hub: Type.Object(
          { id: Type.String({ minLength: 1, maxLength: 64 }), name: Type.String({ maxLength: 100 }) },
          { additionalProperties: false },
        ),
      },
      { additionalProperties: false },
    ),
    result: Type.Object(
      {
        proto: Type.Integer(),
        robot: RobotInfoSchema,
        capabilities: CapabilitiesSchema,
        paired: Type.Boolean(),
        state: Type.Union([RobotStateSchema, Type.Null()]),
      },
      { additionalProperties: false },
    ),
  }),
  ping: method({
    capability: null,
    beforePairing: true,
    summary: "Application-level liveness check; answers with the robot clock.",
    payload: Empty,
    result: Type.Object({ time: Type.Number() }, { additionalProperties: false }),
  }),
  "pair.start": method({
    capability: null,
    beforePairing: true,
    summary: "Begin SPAKE2+ pairing: the robot answers with its PBKDF2 salt and iteration count.",
    payload: Type.Object({ hubName: Type.String({ maxLength: 100 }) }, { additionalProperties: false }),
    result: Type.Object(
      { salt: Base64(128), iterations: Type.Integer({ minimum: 1000, maximum: 100000 }) },
      { additionalProperties: false },
    ),
  }),
  "pair.exchange": method({
    capability: null,
    beforePairing: true,
    summary: "Send the hub's SPAKE2+ share pA; the robot answers with its share pB and confirmation cB.",
    payload: Type.Object({ pA: Base64(200) }, { additionalProperties: false }),
    result: Type.Object({ pB: Base64(200), cB: Base64(200) }, { additionalProperties: false }),
  }),
  "pair.confirm": method({
    capability: null,
    beforePairing: true,
    summary: "Send the hub's confirmation cA; on success both sides pin each other's certificate.",
    payload: Type.Object({ cA: Base64(200) }, { additionalProperties: false }),
    result: Type.Object({ paired: Type.Literal(true) }, { additionalProperties: false }),
  }),
  unpair: method({
    capability: null,
    beforePairing: false,
    summary: "The robot forgets this hub's certificate; the connection is closed afterwards.",
    payload: Empty,
    result: Type.Object({ unpaired: Type.Literal(true) }, { additionalProperties: false }),
  }),
  "extensions.enable": method({
    capability: null,
    beforePairing: false,
    summary:
      "Tell the robot which additions to version 1 this hub understands (§6.1); the robot uses their values (such as job kind `mapping`) on this connection from now on.",
    payload: Type.Object(
      {
        extensions: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 16 }),
      },
      { additionalProperties: false },
    ),
    result: Type.Object(
      { enabled: Type.Array(Type.String()), state: RobotStateSchema },
      { additionalProperties: false },
    ),
  }),
  "state.get": method({
    capability: null,
    beforePairing: false,
    summary: "Read the full robot state.",
    payload: Empty,
    result: StateResult,
  }),
  "clean.start": method({
    capability: "basic_control",
    beforePairing: false,
    summary: "Clean the whole current floor.",
    payload: Empty,
    result: StateResult,
  }),
  "clean.pause": method({
    capability: "basic_control",
    beforePairing: false,
    summary: "Pause the current job.",
    payload: Empty,
    result: StateResult,
  }),
  "clean.resume": method({
    capability: "basic_control",
    beforePairing: false,
    summary: "Resume a paused job.",
    payload: Empty,
    result: StateResult,
  }),
  "clean.stop": method({
    capability: "basic_control",
    beforePairing: false,
    summary: "Stop the current job; the robot stays where it is.",
    payload: Empty,
    result: StateResult,
  }),
  "dock.return": method({
    capability: "basic_control",
    beforePairing: false,
    summary: "Abandon the current job and drive back to the dock.",
    payload: Empty,
    result: StateResult,
  }),
  locate: method({
    capability: "locate",
    beforePairing: false,
    summary: "Play the locate sound.",
    payload: Empty,
    result: StateResult,
  }),
  "settings.set": method({
    capability: null,
    beforePairing: false,
    summary: "Change fan speed, water level and/or cleaning mode (each needs its capability).",
    payload: Type.Object(
      {
        fanSpeed: Type.Optional(FanSpeedSchema),
        waterLevel: Type.Optional(WaterLevelSchema),
        mode: Type.Optional(CleanModeSchema),
      },
      { additionalProperties: false, minProperties: 1 },
    ),
    result: StateResult,
  }),
  "rooms.list": method({
    capability: "room_cleaning",
    beforePairing: false,
    summary: "List the rooms of the current floor's map.",
    payload: Empty,
    result: Type.Object(
      { floor: Type.String(), rooms: Type.Array(RoomSchema) },
      { additionalProperties: false },
    ),
  }),
  "clean.rooms": method({
    capability: "room_cleaning",
    beforePairing: false,
    summary: "Clean rooms in the given order; each may be repeated.",
    payload: Type.Object(
      {
        rooms: Type.Array(
          Type.Object(
            {
              id: Type.String({ minLength: 1, maxLength: 64 }),
              repeats: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
            },
            { additionalProperties: false },
          ),
          { minItems: 1, maxItems: 64 },
        ),
      },
      { additionalProperties: false },
    ),
    result: StateResult,
  }),
  "clean.zones": method({
    capability: "zone_cleaning",
    beforePairing: false,
    summary: "Clean rectangular zones (map millimetres).",
    payload: Type.Object(
      {
        zones: Type.Array(ZoneSchema, { minItems: 1, maxItems: 16 }),
        repeats: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
      },
      { additionalProperties: false },
    ),
    result: StateResult,
  }),
  goto: method({
    capability: "go_to",
    beforePairing: false,
    summary: "Drive to a point (map millimetres) and wait there.",
    payload: Type.Object({ x: Type.Number(), y: Type.Number() }, { additionalProperties: false }),
    result: StateResult,
  }),
  "consumables.get": method({
    capability: "consumables",
    beforePairing: false,
    summary: "Read consumable wear.",
    payload: Empty,
    result: Type.Object({ consumables: Type.Array(ConsumableSchema) }, { additionalProperties: false }),
  }),
  "consumables.reset": method({
    capability: "consumables",
    beforePairing: false,
    summary: "Reset a consumable's wear after replacing it.",
    payload: Type.Object({ id: ConsumableIdSchema }, { additionalProperties: false }),
    result: Type.Object({ consumables: Type.Array(ConsumableSchema) }, { additionalProperties: false }),
  }),
  "map.get": method({
    capability: "map",
    beforePairing: false,
    summary:
      "Send the whole map of a floor (default: the current one) as a binary full frame, then answer; afterwards the robot streams deltas and layout changes on this connection.",
    payload: Type.Object({ floor: MAP_REQUEST_FLOOR }, { additionalProperties: false }),
    result: MapResult,
  }),
  "map.explore": method({
    capability: "mapping_pass",
    beforePairing: false,
    summary:
      "Mapping pass: drive through the whole reachable floor with the vacuum and mop off to build or refresh its map, then return to the dock.",
    payload: Type.Object({ floor: MAP_REQUEST_FLOOR }, { additionalProperties: false }),
    result: StateResult,
  }),
  "map.floor.set": method({
    capability: "map",
    beforePairing: false,
    summary: "Tell the robot which floor it stands on (it was carried); it answers with that floor's map.",
    payload: Type.Object({ floor: MapFloorIdSchema }, { additionalProperties: false }),
    result: MapResult,
  }),
  "map.rooms.rename": method({
    capability: "map_segments_edit",
    beforePairing: false,
    summary: "Rename a room (segment).",
    payload: Type.Object(
      {
        floor: MAP_REQUEST_FLOOR,
        room: MapRoomIdSchema,
        name: Type.String({ minLength: 1, maxLength: 100 }),
      },
      { additionalProperties: false },
    ),
    result: MapResult,
  }),
  "map.rooms.merge": method({
    capability: "map_segments_edit",
    beforePairing: false,
    summary: "Merge two neighbouring rooms: the second joins the first, which keeps its id and name.",
    payload: Type.Object(
      {
        floor: MAP_REQUEST_FLOOR,
        rooms: Type.Array(MapRoomIdSchema, { minItems: 2, maxItems: 2 }),
      },
      { additionalProperties: false },
    ),
    result: MapResult,
  }),
  "map.rooms.split": method({
    capability: "map_segments_edit",
    beforePairing: false,
    summary:
      "Split a room along a line: the part left of the line keeps the room, the rest becomes a new room.",
    payload: Type.Object(
      { floor: MAP_REQUEST_FLOOR, room: MapRoomIdSchema, line: ZoneSchema },
      { additionalProperties: false },
    ),
    result: MapResult,
  }),
  "map.restrictions.set": method({
    capability: "restrictions",
    beforePairing: false,
    summary: "Replace a floor's restrictions (no-go areas, no-mop areas, virtual walls).",
    payload: Type.Object(
      {
        floor: MAP_REQUEST_FLOOR,
        restrictions: Type.Array(RestrictionSchema, { maxItems: MAX_RESTRICTIONS }),
      },
      { additionalProperties: false },
    ),
    result: MapResult,
  }),
} satisfies Record<string, MethodSpec>;

export type MethodName = keyof typeof METHODS;
export type MethodPayload<M extends MethodName> = Static<(typeof METHODS)[M]["payload"]>;
export type MethodResult<M extends MethodName> = Static<(typeof METHODS)[M]["result"]>;

export const CleaningFinishedSchema = Type.Object(
  {
    jobId: Type.String(),
    kind: JobSchema.properties.kind,
    result: Type.Union([Type.Literal("completed"), Type.Literal("stopped"), Type.Literal("error")]),
    areaM2: Type.Number({ minimum: 0 }),
    durationS: Type.Number({ minimum: 0 }),
    rooms: Type.Array(Type.Object({ id: Type.String(), areaM2: Type.Number({ minimum: 0 }) })),
  },
  { additionalProperties: false },
);
export type CleaningFinished = Static<typeof CleaningFinishedSchema>;

export const EVENTS = {
  "event.state": RobotStateSchema,
  "event.battery": Type.Object(
    { battery: Type.Integer({ minimum: 0, maximum: 100 }), charging: Type.Boolean() },
    { additionalProperties: false },
  ),
  "event.position": Type.Object(
    { pose: PoseSchema, floor: Type.String(), currentRoom: Type.Union([Type.String(), Type.Null()]) },
    { additionalProperties: false },
  ),
  "event.error": RobotErrorSchema,
  "event.cleaning_started": Type.Object({ job: JobSchema }, { additionalProperties: false }),
  "event.cleaning_finished": CleaningFinishedSchema,
  "event.consumables": Type.Object(
    { consumables: Type.Array(ConsumableSchema) },
    { additionalProperties: false },
  ),
  "event.located": Type.Object({}, { additionalProperties: false }),
} satisfies Record<string, TSchema>;

export type EventName = keyof typeof EVENTS;
export type EventPayload<E extends EventName> = Static<(typeof EVENTS)[E]>;

export const isMethodName = (type: string): type is MethodName => Object.hasOwn(METHODS, type);
export const isEventName = (type: string): type is EventName => Object.hasOwn(EVENTS, type);
