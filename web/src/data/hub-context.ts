/**
 * The one store and live connection of the page. Elements import them from here rather than receiving them
 * through every level of the tree; tests of the pure helpers never touch this module.
 */
import { robotsApi } from "./api.ts";
import { LiveConnection } from "./live.ts";
import { HubStore } from "./store.ts";

export const store = new HubStore();
export const live = new LiveConnection(store);

const roomLoads = new Map<string, Promise<void>>();

/** Loads a robot's rooms once (again when `force`, e.g. after the floor changed or a room was renamed). */
export function loadRooms(robotId: string, force = false): Promise<void> {
  const robot = store.robots.get(robotId);
  if (!robot?.capabilities.room_cleaning || robot.connection !== "online") return Promise.resolve();
  const cached = store.rooms.get(robotId);
  if (!force && cached && cached.floor === robot.state?.floor) return Promise.resolve();
  let load = roomLoads.get(robotId);
  if (load && !force) return load;
  load = robotsApi
    .rooms(robotId)
    .then((r) => store.setRooms(robotId, r))
    .catch(() => {
      // Names fall back to ids; the robot page shows the error when it loads rooms itself.
    })
    .finally(() => roomLoads.delete(robotId));
  roomLoads.set(robotId, load);
  return load;
}
