/**
 * What the Matter API returns (docs/api.md "Matter"): schemas for the routes and OpenAPI, types for the hub and
 * the dashboard. Free of matter.js so the API can describe Matter without loading it.
 */
import Type, { type Static } from "typebox";
import { MATTER_MODES } from "../config/schema.ts";

export const MATTER_STATES = ["disabled", "starting", "running", "failed", "stopped"] as const;
export type MatterState = (typeof MATTER_STATES)[number];

export const MatterFabricSchema = Type.Object(
  {
    fabricIndex: Type.Integer({ description: "the node's number for this controller; use it to remove it" }),
    label: Type.String({ description: "the name the controller gave itself (may be empty)" }),
    vendorId: Type.Integer({ description: "Matter vendor id of the controller's maker (e.g. 4937 = Apple)" }),
    fabricId: Type.String(),
    nodeId: Type.String({ description: "this node's id on that controller's fabric" }),
  },
  { additionalProperties: false },
);
export type MatterFabric = Static<typeof MatterFabricSchema>;

export const MatterNodeInfoSchema = Type.Object(
  {
    nodeKey: Type.String({ description: 'the robot id of a standalone node, or "bridge"' }),
    mode: Type.Enum(MATTER_MODES),
    online: Type.Boolean(),
    port: Type.Union([Type.Integer(), Type.Null()], { description: "UDP port of the node" }),
    commissioned: Type.Boolean({ description: "at least one controller has added it" }),
    commissionable: Type.Boolean({ description: "a controller can add it now with the codes below" }),
    windowClosesAt: Type.Union([Type.Number(), Type.Null()], {
      description: "when a window opened with POST .../commissioning-window closes (ms since epoch)",
    }),
    qrPairingCode: Type.Union([Type.String(), Type.Null()], {
      description: 'QR code content ("MT:..."), only while commissionable; render it as a QR code',
    }),
    manualPairingCode: Type.Union([Type.String(), Type.Null()], {
      description: "11-digit manual pairing code, only while commissionable",
    }),
    fabrics: Type.Array(MatterFabricSchema, { description: "controllers the node is shared with" }),
  },
  { additionalProperties: false },
);
export type MatterNodeInfo = Static<typeof MatterNodeInfoSchema>;

export const MatterStatusSchema = Type.Object(
  {
    enabled: Type.Boolean(),
    state: Type.Enum(MATTER_STATES),
    mode: Type.Enum(MATTER_MODES),
    error: Type.Union([Type.String(), Type.Null()], { description: "why Matter failed to start" }),
    startedInMs: Type.Union([Type.Number(), Type.Null()], {
      description: "time from the hub starting Matter to every node online",
    }),
    nodes: Type.Array(MatterNodeInfoSchema),
  },
  { additionalProperties: false },
);
export type MatterStatus = Static<typeof MatterStatusSchema>;
