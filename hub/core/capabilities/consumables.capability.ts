/** Brushes, filter, mop pad and sensors wear (capability `consumables`). */
import { METHODS } from "../../../integrations/sweep/protocol/methods.ts";
import { defineCommand } from "./command.ts";

export const consumablesCommands = [
  defineCommand({
    name: "reset_consumable",
    capability: "consumables",
    summary: "Reset a consumable's wear after replacing it",
    body: METHODS["consumables.reset"].payload,
    method: "consumables.reset",
    toPayload: (b) => b,
  }),
];
