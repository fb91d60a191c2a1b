/** Suction power presets (capability `fan_speed`). */
import Type from "typebox";
import { FanSpeedSchema } from "../../../integrations/sweep/protocol/robot-state.ts";
import { defineCommand } from "./command.ts";

export const fanSpeedCommands = [
  defineCommand({
    name: "set_fan_speed",
    capability: "fan_speed",
    summary: "Set the suction power preset",
    body: Type.Object({ fanSpeed: FanSpeedSchema }, { additionalProperties: false }),
    method: "settings.set",
    toPayload: (b) => ({ fanSpeed: b.fanSpeed }),
  }),
];
