/** Drive to a tapped point (capability `go_to`). */
import { METHODS } from "../../../integrations/sweep/protocol/methods.ts";
import { defineCommand } from "./command.ts";

export const goToCommands = [
  defineCommand({
    name: "go_to",
    capability: "go_to",
    summary: "Drive to a point (millimetres, map frame) and wait there",
    body: METHODS.goto.payload,
    method: "goto",
    toPayload: (b) => b,
  }),
];
