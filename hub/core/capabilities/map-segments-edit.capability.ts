/**
 * Editing the robot's rooms (capability `map_segments_edit`). The robot confirms each edit with its new map;
 * hub/maps keeps the user's names, colours and order on top (docs/api.md "Maps").
 */
import { METHODS } from "../../../integrations/sweep/protocol/methods.ts";
import { defineCommand } from "./command.ts";

export const mapSegmentsEditCommands = [
  defineCommand({
    name: "rename_room",
    capability: "map_segments_edit",
    summary: "Rename a room on the robot's map",
    body: METHODS["map.rooms.rename"].payload,
    method: "map.rooms.rename",
    toPayload: (b) => b,
  }),
  defineCommand({
    name: "merge_rooms",
    capability: "map_segments_edit",
    summary: "Merge two neighbouring rooms; the first keeps its id and name",
    body: METHODS["map.rooms.merge"].payload,
    method: "map.rooms.merge",
    toPayload: (b) => b,
  }),
  defineCommand({
    name: "split_room",
    capability: "map_segments_edit",
    summary: "Split a room along a line; the part right of the line becomes a new room",
    body: METHODS["map.rooms.split"].payload,
    method: "map.rooms.split",
    toPayload: (b) => b,
  }),
];
