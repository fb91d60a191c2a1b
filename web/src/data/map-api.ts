/** Typed calls of the maps API (docs/api.md §Maps): reads, room tools, restrictions, floors. */
import { request } from "./api.ts";
import type { MapJson, MapJsonRestriction } from "./map-json.ts";

const base = (robotId: string) => `/api/robots/${encodeURIComponent(robotId)}/map`;
const floorQuery = (floor?: string) => (floor ? `?floor=${encodeURIComponent(floor)}` : "");

export type RestrictionInput = Omit<MapJsonRestriction, "id">;

export interface MapSnapshotInfo {
  jobId: string;
  floor: string;
  version: number;
  createdAt: number;
}

/** Where a floor's map downloads from: plain links (GET with the session cookie), so the browser saves the file. */
export const mapDownloads = {
  png: (robotId: string, floor: string) => `${base(robotId)}/image.png${floorQuery(floor)}`,
  /** The map as it was when a cleaning session ended, as a PNG. */
  sessionPng: (robotId: string, jobId: string) =>
    `${base(robotId)}/snapshots/${encodeURIComponent(jobId)}?format=png`,
  valetudo: (robotId: string, floor: string) => `${base(robotId)}/valetudo${floorQuery(floor)}`,
};

/** A file name for a download: the robot's name and the floor, safe on every file system. */
export function downloadName(robotName: string, floor: string, extension: string): string {
  const safe = `${robotName}-${floor}`.replace(/[^\p{L}\p{N}._-]+/gu, "-").replace(/^[-.]+|-+$/g, "");
  return `${safe || "map"}.${extension}`;
}

export const mapsApi = {
  get: (robotId: string, floor?: string) => request<MapJson>("GET", `${base(robotId)}${floorQuery(floor)}`),
  renameRoom: (robotId: string, roomId: string, name: string, floor?: string) =>
    request<MapJson>("PATCH", `${base(robotId)}/rooms/${encodeURIComponent(roomId)}${floorQuery(floor)}`, {
      name,
    }),
  /** The room's colour on the map (`#rrggbb`): kept by the hub, the robot does not know colours. */
  setRoomColor: (robotId: string, roomId: string, color: string, floor?: string) =>
    request<MapJson>("PATCH", `${base(robotId)}/rooms/${encodeURIComponent(roomId)}${floorQuery(floor)}`, {
      color,
    }),
  /** Puts every room of the floor in this order (first to last), all at once; only the hub keeps it. */
  setRoomOrder: (robotId: string, rooms: readonly string[], floor?: string) =>
    request<MapJson>("PUT", `${base(robotId)}/rooms/order`, { rooms, ...(floor ? { floor } : {}) }),
  mergeRooms: (robotId: string, rooms: [string, string], floor?: string) =>
    request<MapJson>("POST", `${base(robotId)}/rooms/merge`, { rooms, ...(floor ? { floor } : {}) }),
  splitRoom: (
    robotId: string,
    room: string,
    line: { x1: number; y1: number; x2: number; y2: number },
    floor?: string,
  ) => request<MapJson>("POST", `${base(robotId)}/rooms/split`, { room, line, ...(floor ? { floor } : {}) }),
  addRestriction: (robotId: string, r: RestrictionInput, floor?: string) =>
    request<MapJson>("POST", `${base(robotId)}/restrictions${floorQuery(floor)}`, r),
  deleteRestriction: (robotId: string, id: string, floor?: string) =>
    request<MapJson | null>(
      "DELETE",
      `${base(robotId)}/restrictions/${encodeURIComponent(id)}${floorQuery(floor)}`,
    ),
  /** Converts a Valetudo map (ValetudoMap JSON, e.g. exported by Valetudo) to Map JSON; nothing is stored. */
  importValetudo: (valetudoMap: unknown) =>
    request<MapJson>("POST", "/api/maps/import/valetudo", valetudoMap),
  /** Which cleaning sessions have their final map kept, newest first. */
  snapshots: (robotId: string) =>
    request<{ snapshots: MapSnapshotInfo[] }>("GET", `${base(robotId)}/snapshots`),
  /** The map as it was when a cleaning session ended (`map_not_found` when none was kept). */
  snapshot: (robotId: string, jobId: string) =>
    request<MapJson>("GET", `${base(robotId)}/snapshots/${encodeURIComponent(jobId)}`),
  setFloor: (robotId: string, floor: string) => request<MapJson>("PUT", `${base(robotId)}/floor`, { floor }),
};
