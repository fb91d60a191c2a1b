/** Clean drawn rectangles (capability `zone_cleaning`). */
import { METHODS } from "../../../integrations/sweep/protocol/methods.ts";
import { defineCommand } from "./command.ts";

export const zoneCleaningCommands = [
  defineCommand({
    name: "clean_zones",
    capability: "zone_cleaning",
    summary: "Clean rectangular zones (millimetres, map frame)",
    body: METHODS["clean.zones"].payload,
    method: "clean.zones",
    toPayload: (b) => b,
  }),
];
