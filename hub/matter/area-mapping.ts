/**
 * Rooms as Matter ServiceArea areas (Matter 1.4 Application Cluster specification §1.17). Area and map ids are
 * numbers a controller keeps ("clean the kitchen" is stored as an area id), so they are allocated once per room
 * and floor and persisted (MatterRepository); a renamed room keeps its id. With rooms on several floors, each
 * floor is a map (Maps feature) and every area names its map; with one floor, areas carry no map (§1.17.5.2).
 */

import { CommonAreaNamespaceTag } from "@matter/main";
import { ServiceArea } from "@matter/main/clusters/service-area";
import type { Job, RobotState } from "../../integrations/sweep/protocol/robot-state.ts";

export interface KnownRoom {
  floor: string;
  roomId: string;
  name: string;
  areaId: number;
}

export interface KnownFloor {
  floor: string;
  mapId: number;
}

export interface AreaModel {
  supportedMaps: { mapId: number; name: string }[];
  supportedAreas: ServiceArea.Area[];
  /** areaId -> room, to turn a selection back into a `clean_rooms` command. */
  rooms: Map<number, KnownRoom>;
}

/** Spec limits: names are at most 64 bytes (LocationDescriptorStruct, MapStruct). */
const clip = (s: string) => {
  const buf = Buffer.from(s, "utf8");
  return buf.length <= 64
    ? s
    : buf
        .subarray(0, 64)
        .toString("utf8")
        .replace(/\uFFFD+$/, "");
};

const normalize = (s: string) => s.toLowerCase().replace(/[^a-z]/g, "");

/** Room names that say what the room is, for controllers that show an icon or accept "the bathroom". */
const SYNONYMS: Record<string, string> = {
  hall: "Hallway",
  wc: "Toilet",
  guestwc: "Toilet",
  lavatory: "Toilet",
  loo: "Toilet",
  lounge: "Lounge",
  livingroom: "LivingRoom",
  living: "LivingRoom",
  dining: "Dining",
  diningroom: "Dining",
  bath: "Bathroom",
  entrance: "Entrance",
  laundry: "LaundryRoom",
  utility: "UtilityRoom",
  kidsroom: "KidsRoom",
  nursery: "Nursery",
  office: "Office",
  study: "Study",
  gym: "Gym",
};

/** The Common Area semantic tag (namespace 0x10) that a room name plainly names, or null. */
export function areaTypeFor(name: string): number | null {
  const key = normalize(name);
  if (!key) return null;
  const tags = CommonAreaNamespaceTag as Record<string, { tag: number; label: string | null }>;
  const synonym = SYNONYMS[key];
  if (synonym && tags[synonym]) return tags[synonym].tag;
  for (const t of Object.values(tags)) if (normalize(t.label ?? "") === key) return t.tag;
  // "Master bedroom", "Small kitchen": the last word decides, longest match first.
  let best: { id: number; len: number } | null = null;
  for (const t of Object.values(tags)) {
    const label = normalize(t.label ?? "");
    if (label.length >= 4 && key.endsWith(label) && (!best || label.length > best.len))
      best = { id: t.tag, len: label.length };
  }
  return best?.id ?? null;
}

const floorName = (floor: string) => clip(floor.replace(/[_-]+/g, " ").replace(/^./, (c) => c.toUpperCase()));

/** Builds the ServiceArea lists from every known room. Rooms are listed floor by floor, in the robot's order. */
export function buildAreaModel(rooms: readonly KnownRoom[], floors: readonly KnownFloor[]): AreaModel {
  const multiFloor = floors.length > 1;
  const mapOf = new Map(floors.map((f) => [f.floor, f.mapId]));
  const supportedMaps = multiFloor ? floors.map((f) => ({ mapId: f.mapId, name: floorName(f.floor) })) : [];
  // Map names must be unique (§1.17.6.1); two floors whose ids differ only in punctuation get their id appended.
  const seen = new Set<string>();
  for (const m of supportedMaps) {
    if (seen.has(m.name)) m.name = clip(`${m.name} ${m.mapId}`);
    seen.add(m.name);
  }
  const supportedAreas: ServiceArea.Area[] = [];
  const byId = new Map<number, KnownRoom>();
  const names = new Set<string>();
  for (const room of rooms) {
    const mapId = multiFloor ? (mapOf.get(room.floor) ?? null) : null;
    if (multiFloor && mapId === null) continue;
    // AreaInfo must be unique per map (§1.17.5.4); two rooms both called "Bedroom" get their id appended.
    let locationName = clip(room.name.trim() || room.roomId);
    if (names.has(`${mapId}/${locationName}`)) locationName = clip(`${locationName} ${room.areaId}`);
    names.add(`${mapId}/${locationName}`);
    supportedAreas.push({
      areaId: room.areaId,
      mapId,
      areaInfo: {
        locationInfo: { locationName, floorNumber: null, areaType: areaTypeFor(room.name) },
        landmarkInfo: null,
      },
    });
    byId.set(room.areaId, room);
  }
  return { supportedMaps, supportedAreas, rooms: byId };
}

export interface AreaProgress {
  currentArea: number | null;
  progress: { areaId: number; status: number }[];
}

/**
 * Where the robot is and how far a rooms job got (§1.17.6.5 CurrentArea, §1.17.6.7 Progress). Rooms are
 * cleaned in the job's order, so every room before the current one is done; after the job, rooms it did not
 * reach are reported as skipped.
 */
export function areaProgressOf(
  state: RobotState | null,
  model: AreaModel,
  finished?: { job: Pick<Job, "rooms">; result: "completed" | "stopped" | "error" },
): AreaProgress {
  const idOf = new Map<string, number>();
  for (const [areaId, room] of model.rooms) idOf.set(`${room.floor}/${room.roomId}`, areaId);
  const floor = state?.floor ?? "";
  const areaOf = (roomId: string | null) => (roomId ? (idOf.get(`${floor}/${roomId}`) ?? null) : null);
  const job = state?.job ?? null;
  if (finished) {
    const done = finished.result === "completed";
    return {
      currentArea: null,
      progress: unique(finished.job.rooms.map(areaOf)).map((areaId) => ({
        areaId,
        status: done ? ServiceArea.OperationalStatus.Completed : ServiceArea.OperationalStatus.Skipped,
      })),
    };
  }
  // The spec reports the area the robot is in whether or not it is working (§1.17.6.5).
  const currentArea = areaOf(state?.currentRoom ?? null);
  if (!job) return { currentArea, progress: [] };
  if (job.kind !== "rooms") return { currentArea, progress: [] };
  const order = unique(job.rooms.map(areaOf));
  const currentIndex = currentArea === null ? -1 : order.indexOf(currentArea);
  const cleaned = new Set(
    job.cleanedByRoom
      .filter((r) => r.areaM2 > 0)
      .map((r) => areaOf(r.id))
      .filter((a) => a !== null),
  );
  return {
    currentArea,
    progress: order.map((areaId, i) => ({
      areaId,
      status:
        areaId === currentArea && state?.status !== "returning"
          ? ServiceArea.OperationalStatus.Operating
          : (currentIndex >= 0 && i < currentIndex) || (currentIndex < 0 && cleaned.has(areaId))
            ? ServiceArea.OperationalStatus.Completed
            : ServiceArea.OperationalStatus.Pending,
    })),
  };
}

function unique(ids: (number | null)[]): number[] {
  return [...new Set(ids.filter((a): a is number => a !== null))];
}
