/** Play the locate sound (capability `locate`). */
import Type from "typebox";
import { defineCommand } from "./command.ts";

export const locateCommands = [
  defineCommand({
    name: "locate",
    capability: "locate",
    summary: "Play a sound so the robot can be found",
    body: Type.Object({}, { additionalProperties: false }),
    method: "locate",
    toPayload: () => ({}),
  }),
];
