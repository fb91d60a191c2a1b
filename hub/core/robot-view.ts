/**
 * The hub's view of a paired robot, as the HTTP and WebSocket APIs return it (docs/api.md). One schema, shared
 * by the routes (response validation and OpenAPI) and by the dashboard.
 */
import Type, { type Static } from "typebox";
import { CapabilitiesSchema } from "../../integrations/sweep/protocol/methods.ts";
import { RobotStateSchema } from "../../integrations/sweep/protocol/robot-state.ts";

export const CONNECTION_STATES = [
  "online",
  "connecting",
  "offline",
  "identity_changed",
  "not_paired",
] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

export const RobotViewSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    model: Type.String(),
    manufacturer: Type.String(),
    firmware: Type.String(),
    serial: Type.String(),
    address: Type.Object({ host: Type.String(), port: Type.Integer() }),
    connection: Type.Enum(CONNECTION_STATES),
    /** Why the robot is not online, in words a person understands; null when online. */
    connectionError: Type.Union([Type.String(), Type.Null()]),
    capabilities: CapabilitiesSchema,
    state: Type.Union([RobotStateSchema, Type.Null()]),
    pairedAt: Type.Number(),
    lastSeenAt: Type.Union([Type.Number(), Type.Null()]),
  },
  { additionalProperties: false },
);
export type RobotView = Static<typeof RobotViewSchema>;

export const DiscoveredRobotSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    model: Type.String(),
    host: Type.String(),
    port: Type.Integer(),
    paired: Type.Boolean({ description: "the robot reports being paired with some hub" }),
    fingerprint: Type.String({ description: "short certificate fingerprint from the TXT record" }),
    proto: Type.String(),
    lastSeenAt: Type.Number(),
    /** Paired with this hub already. */
    known: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type DiscoveredRobot = Static<typeof DiscoveredRobotSchema>;
