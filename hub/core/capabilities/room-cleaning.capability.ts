/** Clean chosen rooms in order, with repeats (capability `room_cleaning`). */
import { METHODS } from "../../../integrations/sweep/protocol/methods.ts";
import { defineCommand } from "./command.ts";

export const roomCleaningCommands = [
  defineCommand({
    name: "clean_rooms",
    capability: "room_cleaning",
    summary: "Clean rooms in the given order; each may be repeated",
    body: METHODS["clean.rooms"].payload,
    method: "clean.rooms",
    toPayload: (b) => b,
  }),
];
