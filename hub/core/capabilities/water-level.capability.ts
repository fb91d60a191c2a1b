/** Mop water flow presets (capability `water_level`). */
import Type from "typebox";
import { WaterLevelSchema } from "../../../integrations/sweep/protocol/robot-state.ts";
import { defineCommand } from "./command.ts";

export const waterLevelCommands = [
  defineCommand({
    name: "set_water_level",
    capability: "water_level",
    summary: "Set the mop water flow",
    body: Type.Object({ waterLevel: WaterLevelSchema }, { additionalProperties: false }),
    method: "settings.set",
    toPayload: (b) => ({ waterLevel: b.waterLevel }),
  }),
];
