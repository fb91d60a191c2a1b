/**
 * The simulated robot's map side: senses and records while driving, publishes deltas (at most every 500 ms of
 * robot time while moving) and full maps (on a layout change), keeps the navigation map in step with the
 * restrictions and the cleaning mode, and carries out room and restriction edits. SimulatedRobot owns one.
 */
import { ProtocolError } from "../protocol/errors.ts";
import type { MapDelta, MapPose, Restriction, RobotMap } from "../protocol/map-model.ts";
import type { FloorMaps } from "./floor-maps.ts";
import type { Point } from "./floor-plan.ts";
import { checkRestrictions, restrictionMask } from "./restriction-mask.ts";
import { type FloorMapState, RobotMaps } from "./robot-maps.ts";
import { mergeRooms, renameRoom, resegment, splitRoom } from "./segment-edits.ts";

export type MapUpdate =
  | { kind: "delta"; delta: MapDelta; lastPathPoint: Point | null }
  | { kind: "full"; floor: string };
export type MapUpdateListener = (update: MapUpdate) => void;

/** Deltas while moving are sent at most this often (robot time), like position events. */
export const MAP_DELTA_INTERVAL_MS = 500;

export class MapKeeper {
  private readonly floorMaps: FloorMaps;
  private readonly maps: RobotMaps;
  private readonly listeners = new Set<MapUpdateListener>();
  private readonly onListenerError: (error: unknown) => void;
  private lastFlushMs = -Infinity;
  /** What the navigation map of each floor was last prepared for. */
  private readonly navKeys = new Map<string, string>();
  private remapCounter = 0;

  constructor(floorMaps: FloorMaps, explored: boolean, onListenerError: (error: unknown) => void) {
    this.floorMaps = floorMaps;
    this.maps = new RobotMaps(floorMaps, explored);
    this.onListenerError = onListenerError;
  }

  on(listener: MapUpdateListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  state(floorId: string): FloorMapState {
    return this.maps.get(floorId);
  }

  /** Applies the floor's restrictions (no-mop ones only when mopping) to its navigation map, when they changed. */
  prepareNav(floorId: string, mopping: boolean): void {
    const state = this.maps.get(floorId);
    const key = `${state.restrictionsRevision}:${mopping && state.restrictions.some((r) => r.kind === "no_mop")}`;
    if (this.navKeys.get(floorId) === key) return;
    this.navKeys.set(floorId, key);
    const { nav } = this.floorMaps.get(floorId);
    nav.setBlocked(restrictionMask(nav.grid, state.restrictions, mopping));
  }

  /** One simulation step: what the sensors saw, the path driven, and a delta when it is time for one. */
  step(floorId: string, pose: MapPose, moving: boolean, cleaning: boolean, simMs: number): void {
    const state = this.maps.get(floorId);
    if (moving) state.sense(pose);
    if (moving && cleaning) state.recordPath(pose);
    if (!moving || simMs - this.lastFlushMs >= MAP_DELTA_INTERVAL_MS) this.flush(floorId, pose, simMs);
  }

  /** Sends what changed on the floor as a delta (nothing when nothing changed). */
  flush(floorId: string, pose: MapPose | null, simMs?: number): void {
    const taken = this.maps.get(floorId).takeDelta(pose);
    if (simMs !== undefined) this.lastFlushMs = simMs;
    if (taken) this.emit({ kind: "delta", ...taken });
  }

  startSession(floorId: string, pose: Point): void {
    this.maps.get(floorId).resetPath(pose);
  }

  endSession(floorId: string, pose: MapPose): void {
    const state = this.maps.get(floorId);
    state.recordPath(pose);
    this.flush(floorId, pose);
  }

  /** The robot arrived on a floor (carried, or started there): look around and send that floor's map. */
  arrived(floorId: string, pose: MapPose): void {
    this.maps.get(floorId).sense(pose);
    this.layoutChanged(floorId);
  }

  snapshot(floorId: string, pose: MapPose | null): RobotMap {
    return this.maps.get(floorId).snapshot(pose);
  }

  rename(floorId: string, roomId: string, name: string): void {
    renameRoom(this.maps.get(floorId).grid, floorId, roomId, name);
    this.layoutChanged(floorId);
  }

  merge(floorId: string, a: string, b: string, busy: boolean): string {
    refuseWhileBusy(busy, "merging rooms");
    const id = mergeRooms(this.maps.get(floorId).grid, floorId, a, b);
    this.layoutChanged(floorId);
    return id;
  }

  split(
    floorId: string,
    roomId: string,
    line: { x1: number; y1: number; x2: number; y2: number },
    busy: boolean,
  ) {
    refuseWhileBusy(busy, "splitting a room");
    const id = splitRoom(this.maps.get(floorId).grid, floorId, roomId, line);
    this.layoutChanged(floorId);
    return id;
  }

  setRestrictions(floorId: string, restrictions: Restriction[], busy: boolean): void {
    refuseWhileBusy(busy, "changing restrictions");
    const state = this.maps.get(floorId);
    checkRestrictions(restrictions, state.grid.dock);
    state.restrictions = restrictions.map((r) => ({ ...r }));
    state.restrictionsRevision++;
    this.layoutChanged(floorId);
  }

  /** The robot's map was reset and rebuilt: same rooms, new ids and names (see segment-edits.ts). */
  remap(floorId: string, busy: boolean): void {
    refuseWhileBusy(busy, "re-mapping");
    const state = this.maps.get(floorId);
    resegment(state.grid, this.floorMaps.get(floorId).def, `seg${++this.remapCounter}-`);
    this.layoutChanged(floorId);
  }

  /**
   * A mapping pass finished: a floor explored for the first time is segmented into rooms afresh, as robots do
   * after their first mapping run (new ids and generic names; hubs keep user names by overlap).
   */
  explored(floorId: string): void {
    const state = this.maps.get(floorId);
    if (state.explored) return;
    state.explored = true;
    resegment(state.grid, this.floorMaps.get(floorId).def, `seg${++this.remapCounter}-`);
    this.layoutChanged(floorId);
  }

  private layoutChanged(floorId: string): void {
    this.maps.get(floorId).layoutChanged();
    this.emit({ kind: "full", floor: floorId });
  }

  private emit(update: MapUpdate): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(update);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}

function refuseWhileBusy(busy: boolean, what: string): void {
  if (busy) {
    throw new ProtocolError("invalid_state", `Stop the current job before ${what}.`);
  }
}
