/** Vacuum, mop, or both (capability `clean_mode`). */
import Type from "typebox";
import { CleanModeSchema } from "../../../integrations/sweep/protocol/robot-state.ts";
import { defineCommand } from "./command.ts";

export const cleanModeCommands = [
  defineCommand({
    name: "set_mode",
    capability: "clean_mode",
    summary: "Choose vacuum, mop, or vacuum and mop",
    body: Type.Object({ mode: CleanModeSchema }, { additionalProperties: false }),
    method: "settings.set",
    toPayload: (b) => ({ mode: b.mode }),
  }),
];
