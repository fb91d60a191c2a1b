/**
 * Mapping pass (capability `mapping_pass`, like Valetudo's MappingPassCapability): the robot drives through the
 * whole reachable floor with the vacuum off to build or refresh its map, then docks.
 */
import { METHODS } from "../../../integrations/sweep/protocol/methods.ts";
import { defineCommand } from "./command.ts";

export const mappingPassCommands = [
  defineCommand({
    name: "map_explore",
    capability: "mapping_pass",
    summary: "Mapping run: explore the floor with the vacuum off to build or refresh its map, then dock",
    body: METHODS["map.explore"].payload,
    method: "map.explore",
    toPayload: (b) => b,
  }),
];
