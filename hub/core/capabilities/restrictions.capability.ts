/** No-go areas, no-mop areas and virtual walls (capability `restrictions`), a floor's whole list at once. */
import { METHODS } from "../../../integrations/sweep/protocol/methods.ts";
import { defineCommand } from "./command.ts";

export const restrictionsCommands = [
  defineCommand({
    name: "set_restrictions",
    capability: "restrictions",
    summary: "Replace the no-go areas, no-mop areas and virtual walls of a floor",
    body: METHODS["map.restrictions.set"].payload,
    method: "map.restrictions.set",
    toPayload: (b) => b,
  }),
];
