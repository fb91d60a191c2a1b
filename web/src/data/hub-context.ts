/**
 * The one store and live connection of the page. Elements import them from here rather than receiving them
 * through every level of the tree; tests of the pure helpers never touch this module.
 */
import type { RobotView } from "../../../hub/core/robot-view.ts";
import type { Room } from "../../../integrations/sweep/protocol/robot-state.ts";
import { ApiError, robotsApi } from "./api.ts";
import { LiveConnection } from "./live.ts";
import { mapsApi } from "./map-api.ts";
import { mapJsonRooms } from "./map-json.ts";
import { HubStore } from "./store.ts";

export const store = new HubStore();
export const live = new LiveConnection(store);

const roomLoads = new Map<string, Promise<void>>();
/** When a failed load may run again: a docked robot sends no events, so a timer retries rather than a render. */
const retryAt = new Map<string, number>();
const RETRY_MS = 10_000;

/**
 * Loads the room names of a robot's current floor once (again when the floor changes, or when `force`). The
 * hub's map comes first: it has the user's names and order and answers while the robot is offline or lacks
 * room cleaning; the robot's own list is the fallback until the hub has a map of the floor.
 */
export function loadRooms(robotId: string, force = false): Promise<void> {
  const robot = store.robots.get(robotId);
  if (!robot || (!robot.capabilities.map && !robot.capabilities.room_cleaning)) return Promise.resolve();
  const floor = robot.state?.floor;
  const cached = store.rooms.get(robotId);
  if (!force && cached && (floor === undefined || cached.floor === floor)) return Promise.resolve();
  if (!force && (retryAt.get(robotId) ?? 0) > Date.now()) return Promise.resolve();
  let load = roomLoads.get(robotId);
  if (load && !force) return load;
  load = fetchRooms(robot)
    .then((rooms) => {
      retryAt.delete(robotId);
      if (rooms) store.setRooms(robotId, rooms);
      // Neither source has rooms yet (no map, robot offline): the next change of the robot tries again.
      else retryAt.set(robotId, Date.now() + RETRY_MS);
    })
    .catch(() => {
      // Names fall back to ids meanwhile; the robot page shows the error when it loads the map itself.
      retryAt.set(robotId, Date.now() + RETRY_MS);
      setTimeout(() => void loadRooms(robotId), RETRY_MS);
    })
    .finally(() => roomLoads.delete(robotId));
  roomLoads.set(robotId, load);
  return load;
}

async function fetchRooms(robot: RobotView): Promise<{ floor: string; rooms: Room[] } | null> {
  if (robot.capabilities.map) {
    try {
      return mapJsonRooms(await mapsApi.get(robot.id, robot.state?.floor));
    } catch (err) {
      if (!(err instanceof ApiError && err.code === "map_not_found")) throw err;
    }
  }
  if (robot.capabilities.room_cleaning && robot.connection === "online") return robotsApi.rooms(robot.id);
  return null;
}
