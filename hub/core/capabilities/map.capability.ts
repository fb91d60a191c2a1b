/**
 * Maps (capability `map`): the map itself is read through hub/maps (stored, streamed, rendered); the one
 * command is telling a robot that was carried which floor it now stands on.
 */
import { METHODS } from "../../../integrations/sweep/protocol/methods.ts";
import { defineCommand } from "./command.ts";

export const mapCommands = [
  defineCommand({
    name: "set_floor",
    capability: "map",
    summary: "Tell the robot which floor it stands on (after carrying it); it switches to that floor's map",
    body: METHODS["map.floor.set"].payload,
    method: "map.floor.set",
    toPayload: (b) => b,
  }),
];
