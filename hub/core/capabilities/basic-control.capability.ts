/** Start, pause, resume, stop and return to dock: what every robot supports (capability `basic_control`). */
import Type from "typebox";
import { defineCommand } from "./command.ts";

const NoBody = Type.Object({}, { additionalProperties: false });
const empty = () => ({});

export const basicControlCommands = [
  defineCommand({
    name: "start",
    capability: "basic_control",
    summary: "Clean the whole current floor",
    body: NoBody,
    method: "clean.start",
    toPayload: empty,
  }),
  defineCommand({
    name: "pause",
    capability: "basic_control",
    summary: "Pause the current job",
    body: NoBody,
    method: "clean.pause",
    toPayload: empty,
  }),
  defineCommand({
    name: "resume",
    capability: "basic_control",
    summary: "Resume a paused job",
    body: NoBody,
    method: "clean.resume",
    toPayload: empty,
  }),
  defineCommand({
    name: "stop",
    capability: "basic_control",
    summary: "Stop the current job where the robot is",
    body: NoBody,
    method: "clean.stop",
    toPayload: empty,
  }),
  defineCommand({
    name: "dock",
    capability: "basic_control",
    summary: "Return to the dock",
    body: NoBody,
    method: "dock.return",
    toPayload: empty,
  }),
];
