/**
 * The robot's state as the protocol carries it (docs/protocol.md §4). Units: millimetres, degrees,
 * percent, seconds, square metres. Schemas are the single source of truth; types are derived from them.
 */
import Type, { type Static } from "typebox";

/** A string enum schema; `Type.Enum` keeps the literal union in the static type. */
const literals = <const T extends readonly string[]>(values: T) => Type.Enum(values);

export const ROBOT_STATUSES = [
  "docked",
  "charging",
  "idle",
  "cleaning",
  "paused",
  "returning",
  "moving",
  "error",
] as const;
export type RobotStatus = (typeof ROBOT_STATUSES)[number];
export const RobotStatusSchema = literals(ROBOT_STATUSES);

export const FAN_SPEEDS = ["off", "quiet", "standard", "strong", "max"] as const;
export type FanSpeed = (typeof FAN_SPEEDS)[number];
export const FanSpeedSchema = literals(FAN_SPEEDS);

export const WATER_LEVELS = ["off", "low", "medium", "high"] as const;
export type WaterLevel = (typeof WATER_LEVELS)[number];
export const WaterLevelSchema = literals(WATER_LEVELS);

export const CLEAN_MODES = ["vacuum", "mop", "vacuum_and_mop"] as const;
export type CleanMode = (typeof CLEAN_MODES)[number];
export const CleanModeSchema = literals(CLEAN_MODES);

/** Faults a robot reports (and the simulator can be told to have). */
export const ROBOT_FAULTS = ["stuck", "brush_jammed", "bin_full", "cliff_sensor", "wheel_blocked"] as const;
export type RobotFaultCode = (typeof ROBOT_FAULTS)[number];
export const RobotFaultSchema = literals(ROBOT_FAULTS);

export const FAULT_MESSAGES: Record<RobotFaultCode, string> = {
  stuck: "The robot is stuck. Move it to open floor and resume.",
  brush_jammed: "The main brush is jammed. Clear hair or debris from the brush and resume.",
  bin_full: "The dust bin is full. Empty it and resume.",
  cliff_sensor: "A cliff sensor is blocked or dirty. Wipe the sensors and move the robot away from the edge.",
  wheel_blocked: "A wheel is blocked. Check the wheels for tangled hair or objects.",
};

export const RobotErrorSchema = Type.Object(
  { code: RobotFaultSchema, message: Type.String({ maxLength: 500 }) },
  { additionalProperties: false },
);
export type RobotError = Static<typeof RobotErrorSchema>;

export const PoseSchema = Type.Object(
  {
    x: Type.Number({ description: "millimetres, map frame" }),
    y: Type.Number({ description: "millimetres, map frame" }),
    angle: Type.Number({ minimum: 0, maximum: 360, description: "degrees, 0 = +x, counter-clockwise" }),
  },
  { additionalProperties: false },
);
export type Pose = Static<typeof PoseSchema>;

/**
 * `mapping` is a mapping pass (capability `mapping_pass`): the robot explores the floor with the vacuum off. It is
 * sent only to hubs that enabled the `mapping_pass` extension (docs/protocol.md §6.1); others see `goto`.
 */
export const JOB_KINDS = ["full", "rooms", "zones", "goto", "mapping"] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export const ZoneSchema = Type.Object(
  {
    x1: Type.Number(),
    y1: Type.Number(),
    x2: Type.Number(),
    y2: Type.Number(),
  },
  { additionalProperties: false, description: "axis-aligned rectangle in millimetres, map frame" },
);
export type Zone = Static<typeof ZoneSchema>;

export const RoomAreaSchema = Type.Object(
  { id: Type.String(), areaM2: Type.Number({ minimum: 0 }) },
  { additionalProperties: false },
);

export const JobSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    kind: literals(JOB_KINDS),
    /** Rooms in the order they are cleaned, repeats expanded (rooms jobs only). */
    rooms: Type.Array(Type.String()),
    zones: Type.Array(ZoneSchema),
    target: Type.Union([Type.Object({ x: Type.Number(), y: Type.Number() }), Type.Null()]),
    startedAt: Type.Number({ description: "robot clock, ms since epoch" }),
    areaCleanedM2: Type.Number({ minimum: 0 }),
    cleanedByRoom: Type.Array(RoomAreaSchema),
    /** Set while the robot went to charge mid-job and will resume by itself. */
    resumeAfterCharge: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type Job = Static<typeof JobSchema>;

export const RobotStateSchema = Type.Object(
  {
    status: RobotStatusSchema,
    battery: Type.Integer({ minimum: 0, maximum: 100 }),
    charging: Type.Boolean(),
    docked: Type.Boolean(),
    fanSpeed: FanSpeedSchema,
    waterLevel: WaterLevelSchema,
    mode: CleanModeSchema,
    pose: PoseSchema,
    floor: Type.String(),
    currentRoom: Type.Union([Type.String(), Type.Null()]),
    error: Type.Union([RobotErrorSchema, Type.Null()]),
    job: Type.Union([JobSchema, Type.Null()]),
  },
  { additionalProperties: false },
);
export type RobotState = Static<typeof RobotStateSchema>;

export const CONSUMABLE_IDS = ["main_brush", "side_brush", "filter", "mop_pad", "sensors"] as const;
export type ConsumableId = (typeof CONSUMABLE_IDS)[number];
export const ConsumableIdSchema = literals(CONSUMABLE_IDS);

export const ConsumableSchema = Type.Object(
  {
    id: ConsumableIdSchema,
    lifetimeMin: Type.Integer({ minimum: 1 }),
    usedMin: Type.Number({ minimum: 0 }),
    remainingPercent: Type.Integer({ minimum: 0, maximum: 100 }),
  },
  { additionalProperties: false },
);
export type Consumable = Static<typeof ConsumableSchema>;

export const RoomSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    name: Type.String({ maxLength: 100 }),
    floor: Type.String(),
    areaM2: Type.Number({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type Room = Static<typeof RoomSchema>;

export const RobotInfoSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9._-]+$" }),
    name: Type.String({ maxLength: 100 }),
    model: Type.String({ maxLength: 100 }),
    manufacturer: Type.String({ maxLength: 100 }),
    firmware: Type.String({ maxLength: 50 }),
    serial: Type.String({ maxLength: 64 }),
  },
  { additionalProperties: false },
);
export type RobotInfo = Static<typeof RobotInfoSchema>;
