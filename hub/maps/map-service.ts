/**
 * The maps service (docs/architecture.md "Maps"): asks every online robot with the `map` capability for its
 * maps, keeps the current map of each floor (applying deltas, asking for the whole map again when a delta does
 * not fit), rejects unreadable frames while keeping the last good map, stores maps and each cleaning session's
 * final map in SQLite, and keeps the user's room settings across re-mapping. Edits go to the robot through the
 * RobotManager (the one command path) and are confirmed by the robot's new map.
 */
import {
  applyMapDelta,
  decodeMapFrame,
  encodeFullFrame,
  MapFrameError,
} from "../../integrations/sweep/protocol/map-frame.ts";
import type { RobotMap } from "../../integrations/sweep/protocol/map-model.ts";
import type { Actor } from "../auth/actor.ts";
import type { CommandTrigger } from "../core/capabilities/index.ts";
import { HubError } from "../core/errors.ts";
import type { EventBus } from "../core/event-bus.ts";
import type { RobotView } from "../core/robot-view.ts";
import type { Logger } from "../logging.ts";
import type { RobotManager } from "../robots/robot-manager.ts";
import { jsonRooms, type MapJson, roomLabels, toMapJson } from "./map-json.ts";
import type { MapRepository, RoomSettings } from "./map-repository.ts";
import { matchRenamedRooms } from "./room-matching.ts";

export interface MapServiceOptions {
  log: Logger;
  bus: EventBus;
  robots: RobotManager;
  repo: MapRepository;
  now?: () => number;
  /** How often maps changed by deltas are written to the database (full maps are written at once). */
  persistIntervalMs?: number;
}

export interface HeldMap {
  map: RobotMap;
  updatedAt: number;
  /** Changed by deltas since it was last written. */
  dirty: boolean;
}

/** A room as transports show it (Matter's ServiceArea, lists): the user's name and order first. */
export interface HubRoom {
  id: string;
  floor: string;
  name: string;
  robotName: string;
  color: string | null;
  order: number;
  areaM2: number;
}

/** At most one "send me the whole map" per robot and floor at a time, and after bad frames at most this often. */
const ERROR_RESYNC_INTERVAL_MS = 5_000;

export class MapService {
  readonly #opts: MapServiceOptions;
  readonly #maps = new Map<string, Map<string, HeldMap>>();
  readonly #online = new Set<string>();
  readonly #resyncing = new Set<string>();
  readonly #lastErrorResync = new Map<string, number>();
  #timer: NodeJS.Timeout | null = null;

  constructor(options: MapServiceOptions) {
    this.#opts = options;
  }

  start(): void {
    const { bus } = this.#opts;
    bus.on("robotUpdated", this, ({ robot }) => this.#onRobotUpdated(robot));
    bus.on("robotBinary", this, ({ robotId, data }) => this.#onFrame(robotId, data));
    bus.on("robotEvent", this, ({ robotId, name, payload }) => {
      if (name === "event.cleaning_finished")
        this.#onSessionEnd(robotId, (payload as { jobId: string }).jobId);
    });
    bus.on("robotRemoved", this, ({ robotId }) => {
      this.#maps.delete(robotId);
      this.#online.delete(robotId);
    });
    this.#timer = setInterval(() => this.#persistDirty(), this.#opts.persistIntervalMs ?? 10_000);
    this.#timer.unref();
    for (const robot of this.#opts.robots.list()) this.#onRobotUpdated(robot);
  }

  stop(): void {
    this.#opts.bus.removeAll(this);
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#persistDirty();
  }

  // ---- reads ---------------------------------------------------------------------------------------------

  /** Floors of a robot: those it announces and those the hub has maps of. */
  floors(robotId: string): { currentFloor: string | null; floors: string[] } {
    const view = this.#opts.robots.get(robotId);
    const announced = view.capabilities.map?.floors ?? [];
    const held = [...this.#held(robotId).keys()];
    return { currentFloor: view.state?.floor ?? null, floors: [...new Set([...announced, ...held])] };
  }

  /** The current map of a floor (default: the robot's current floor); `map_not_found` when there is none yet. */
  get(robotId: string, floor?: string): HeldMap {
    const held = this.#held(robotId);
    const wanted = floor ?? this.#opts.robots.get(robotId).state?.floor ?? [...held.keys()][0];
    const entry = wanted === undefined ? undefined : held.get(wanted);
    if (!entry) {
      throw new HubError("map_not_found", undefined, { robotId, ...(wanted ? { floor: wanted } : {}) });
    }
    return entry;
  }

  roomSettings(robotId: string, floor: string): Map<string, RoomSettings> {
    return new Map(
      this.#opts.repo
        .rooms(robotId)
        .filter((r) => r.floor === floor)
        .map((r) => [r.roomId, r]),
    );
  }

  /** Rooms with the user's names per floor (default: every floor the hub has a map of). */
  rooms(robotId: string, floor?: string): HubRoom[] {
    const floors = floor ? [floor] : [...this.#held(robotId).keys()];
    const out: HubRoom[] = [];
    for (const f of floors) {
      const held = this.#held(robotId).get(f);
      if (!held) continue;
      const settings = this.roomSettings(robotId, f);
      held.map.rooms.forEach((room, index) => {
        const s = settings.get(room.id);
        out.push({
          id: room.id,
          floor: f,
          name: s?.name ?? room.name,
          robotName: room.name,
          color: s?.color ?? null,
          order: s?.order ?? index,
          areaM2: room.areaM2,
        });
      });
    }
    return out;
  }

  /** Room ids of a floor in the user's order (as Map JSON lists them); empty when the hub has no map of it. */
  roomOrder(robotId: string, floor: string): string[] {
    const held = this.#held(robotId).get(floor);
    if (!held) return [];
    const settings = this.roomSettings(robotId, floor);
    return jsonRooms(held.map, (room) => settings.get(room.id), new Map()).map((r) => r.id);
  }

  // ---- edits ---------------------------------------------------------------------------------------------

  async updateRoom(
    robotId: string,
    roomId: string,
    change: { name?: string; color?: string; order?: number },
    floor: string | undefined,
    trigger: CommandTrigger,
    actor?: Actor,
  ): Promise<HeldMap> {
    const held = this.get(robotId, floor);
    const f = held.map.floor;
    if (!held.map.rooms.some((r) => r.id === roomId))
      throw new HubError("room_not_found", undefined, { roomId });
    if (change.name !== undefined) {
      await this.#opts.robots.command(
        robotId,
        "rename_room",
        { floor: f, room: roomId, name: change.name },
        trigger,
        actor,
      );
    }
    const current = this.roomSettings(robotId, f).get(roomId);
    this.#opts.repo.saveRoom(
      robotId,
      {
        floor: f,
        roomId,
        name: change.name ?? current?.name ?? null,
        color: change.color ?? current?.color ?? null,
        order: change.order ?? current?.order ?? null,
      },
      this.#now(),
    );
    this.#opts.bus.emit("roomsChanged", { robotId });
    this.#opts.bus.emit("mapUpdated", { robotId, floor: f, delta: null });
    return this.get(robotId, f);
  }

  /**
   * Puts the rooms of a floor in the user's order (lists, the room picker, "clean all rooms"). Only the hub keeps
   * the order, so the robot is not asked. `roomIds` must name every room of the floor once: a list made from an
   * older map (a room merged or split since) is refused rather than half applied.
   */
  setRoomOrder(robotId: string, roomIds: readonly string[], floor: string | undefined): HeldMap {
    const held = this.get(robotId, floor);
    const f = held.map.floor;
    const known = new Set(held.map.rooms.map((r) => r.id));
    const unknown = roomIds.find((id) => !known.has(id));
    if (unknown !== undefined) throw new HubError("room_not_found", undefined, { roomId: unknown });
    const given = new Set(roomIds);
    const missing = [...known].filter((id) => !given.has(id));
    if (missing.length > 0 || given.size !== roomIds.length) {
      throw new HubError("room_order_mismatch", undefined, { missing, floor: f });
    }
    this.#opts.repo.saveRoomOrder(robotId, f, roomIds, this.#now());
    this.#opts.bus.emit("roomsChanged", { robotId });
    this.#opts.bus.emit("mapUpdated", { robotId, floor: f, delta: null });
    return this.get(robotId, f);
  }

  async mergeRooms(
    robotId: string,
    rooms: [string, string],
    floor: string | undefined,
    trigger: CommandTrigger,
    actor?: Actor,
  ) {
    const f = this.get(robotId, floor).map.floor;
    await this.#opts.robots.command(robotId, "merge_rooms", { floor: f, rooms }, trigger, actor);
    // The absorbed room's settings have nothing left to describe.
    this.#opts.repo.deleteRoom(robotId, f, rooms[1]);
    return this.get(robotId, f);
  }

  async splitRoom(
    robotId: string,
    room: string,
    line: { x1: number; y1: number; x2: number; y2: number },
    floor: string | undefined,
    trigger: CommandTrigger,
    actor?: Actor,
  ) {
    const f = this.get(robotId, floor).map.floor;
    await this.#opts.robots.command(robotId, "split_room", { floor: f, room, line }, trigger, actor);
    return this.get(robotId, f);
  }

  async setRestrictions(
    robotId: string,
    restrictions: RobotMap["restrictions"],
    floor: string | undefined,
    trigger: CommandTrigger,
    actor?: Actor,
  ): Promise<HeldMap> {
    const f = this.get(robotId, floor).map.floor;
    await this.#opts.robots.command(robotId, "set_restrictions", { floor: f, restrictions }, trigger, actor);
    return this.get(robotId, f);
  }

  async setFloor(robotId: string, floor: string, trigger: CommandTrigger, actor?: Actor): Promise<HeldMap> {
    await this.#opts.robots.command(robotId, "set_floor", { floor }, trigger, actor);
    return this.get(robotId, floor);
  }

  // ---- history -------------------------------------------------------------------------------------------

  snapshots(robotId: string) {
    this.#opts.robots.get(robotId);
    return this.#opts.repo.snapshots(robotId);
  }

  snapshot(robotId: string, jobId: string): HeldMap {
    this.#opts.robots.get(robotId);
    const row = this.#opts.repo.snapshot(robotId, jobId);
    if (!row) throw new HubError("map_not_found", "No map was kept for this cleaning session", { jobId });
    const decoded = decodeMapFrame(row.frame);
    if (decoded.kind !== "full") throw new HubError("internal");
    return { map: decoded.map, updatedAt: row.updatedAt, dirty: false };
  }

  // ---- robot side ----------------------------------------------------------------------------------------

  #onRobotUpdated(robot: RobotView): void {
    const online = robot.connection === "online" && robot.capabilities.map !== undefined;
    if (!online) {
      this.#online.delete(robot.id);
      return;
    }
    if (this.#online.has(robot.id)) return;
    this.#online.add(robot.id);
    void this.#subscribe(robot);
  }

  /** The current floor first (that also subscribes this connection to deltas), then every other floor. */
  async #subscribe(robot: RobotView): Promise<void> {
    const log = this.#opts.log.child({ robotId: robot.id });
    try {
      const first = await this.#opts.robots.query(robot.id, "map.get", {});
      for (const floor of robot.capabilities.map?.floors ?? []) {
        if (floor !== first.floor) await this.#opts.robots.query(robot.id, "map.get", { floor });
      }
    } catch (err) {
      this.#online.delete(robot.id);
      log.warn({ code: (err as { code?: string }).code }, "could not read the robot's maps");
    }
  }

  #onFrame(robotId: string, data: Buffer): void {
    const held = this.#held(robotId);
    let decoded: ReturnType<typeof decodeMapFrame>;
    try {
      decoded = decodeMapFrame(data, (floor) => held.get(floor)?.map.path.at(-1) ?? null);
    } catch (err) {
      if (!(err instanceof MapFrameError)) throw err;
      this.#reject(robotId, err, data.length);
      return;
    }
    if (decoded.kind === "full") {
      this.#acceptFull(robotId, decoded.map, data);
      return;
    }
    const { delta } = decoded;
    const entry = held.get(delta.floor);
    if (!entry || entry.map.version !== delta.baseVersion) {
      this.#opts.log.debug(
        { robotId, floor: delta.floor, have: entry?.map.version ?? null, base: delta.baseVersion },
        "map delta does not fit; asking for the whole map",
      );
      this.#resync(robotId, delta.floor);
      return;
    }
    try {
      applyMapDelta(entry.map, delta);
    } catch (err) {
      if (!(err instanceof MapFrameError)) throw err;
      this.#reject(robotId, err, data.length);
      return;
    }
    entry.dirty = true;
    entry.updatedAt = this.#now();
    this.#opts.bus.emit("mapUpdated", { robotId, floor: delta.floor, delta });
  }

  #acceptFull(robotId: string, map: RobotMap, frame: Buffer): void {
    const held = this.#held(robotId);
    const prev = held.get(map.floor)?.map;
    const now = this.#now();
    if (prev) {
      for (const [newId, oldId] of matchRenamedRooms(prev, map)) {
        this.#opts.log.info(
          { robotId, floor: map.floor, from: oldId, to: newId },
          "room recognised after re-mapping",
        );
        this.#opts.repo.renameRoomId(robotId, map.floor, oldId, newId, now);
        const name = this.roomSettings(robotId, map.floor).get(newId)?.name;
        // Give the robot the user's name back, so its app and voice assistants agree with the hub.
        if (name && name !== map.rooms.find((r) => r.id === newId)?.name) {
          void this.#opts.robots
            .command(robotId, "rename_room", { floor: map.floor, room: newId, name }, "api")
            .catch(() => {});
        }
      }
    }
    held.set(map.floor, { map, updatedAt: now, dirty: false });
    this.#opts.repo.saveMap(robotId, map.floor, map.version, frame, now);
    this.#resyncing.delete(`${robotId}/${map.floor}`);
    const roomsKey = (m: RobotMap | undefined) => JSON.stringify(m?.rooms.map((r) => [r.id, r.name]) ?? null);
    if (roomsKey(prev) !== roomsKey(map)) this.#opts.bus.emit("roomsChanged", { robotId });
    this.#opts.bus.emit("mapUpdated", { robotId, floor: map.floor, delta: null });
  }

  #reject(robotId: string, err: MapFrameError, bytes: number): void {
    this.#opts.log.warn({ robotId, reason: err.code, bytes }, `rejected a map frame: ${err.message}`);
    this.#opts.bus.emit("mapError", {
      robotId,
      code: "map_frame_invalid",
      message: `The robot sent a map the hub could not read (${err.message}); the last good map is kept.`,
    });
    const now = this.#now();
    if (now - (this.#lastErrorResync.get(robotId) ?? -Infinity) < ERROR_RESYNC_INTERVAL_MS) return;
    this.#lastErrorResync.set(robotId, now);
    const floor = this.#opts.robots.get(robotId).state?.floor;
    if (floor) this.#resync(robotId, floor);
  }

  #resync(robotId: string, floor: string): void {
    const key = `${robotId}/${floor}`;
    if (this.#resyncing.has(key)) return;
    this.#resyncing.add(key);
    this.#opts.robots
      .query(robotId, "map.get", { floor })
      .catch((err) =>
        this.#opts.log.warn({ robotId, floor, code: (err as { code?: string }).code }, "map resync failed"),
      )
      .finally(() => this.#resyncing.delete(key));
  }

  #onSessionEnd(robotId: string, jobId: string): void {
    try {
      const floor = this.#opts.robots.get(robotId).state?.floor;
      const entry = floor ? this.#held(robotId).get(floor) : undefined;
      if (!entry || !floor) return;
      const frame = encodeFullFrame(entry.map);
      const now = this.#now();
      this.#opts.repo.saveMap(robotId, floor, entry.map.version, frame, now);
      entry.dirty = false;
      this.#opts.repo.saveSnapshot(robotId, jobId, floor, entry.map.version, frame, now);
    } catch (err) {
      this.#opts.log.error({ err, robotId }, "could not keep the session's map");
    }
  }

  #persistDirty(): void {
    for (const [robotId, floors] of this.#maps) {
      for (const [floor, entry] of floors) {
        if (!entry.dirty) continue;
        try {
          this.#opts.repo.saveMap(
            robotId,
            floor,
            entry.map.version,
            encodeFullFrame(entry.map),
            entry.updatedAt,
          );
          entry.dirty = false;
        } catch (err) {
          this.#opts.log.error({ err, robotId, floor }, "could not store a map");
        }
      }
    }
  }

  /** The maps held for a robot, loaded from the database the first time. */
  #held(robotId: string): Map<string, HeldMap> {
    let floors = this.#maps.get(robotId);
    if (floors) return floors;
    floors = new Map();
    for (const row of this.#opts.repo.maps(robotId)) {
      try {
        const decoded = decodeMapFrame(row.frame);
        if (decoded.kind === "full")
          floors.set(row.floor, { map: decoded.map, updatedAt: row.updatedAt, dirty: false });
      } catch (err) {
        this.#opts.log.warn(
          { robotId, floor: row.floor, err: (err as Error).message },
          "stored map unreadable; skipped",
        );
      }
    }
    this.#maps.set(robotId, floors);
    return floors;
  }

  #now(): number {
    return (this.#opts.now ?? Date.now)();
  }
}

/** The map as the API gives it (docs/api.md "Maps"): the robot's map with the user's room settings on top. */
export function mapJsonOf(service: MapService, robotId: string, held: HeldMap): MapJson {
  const { map } = held;
  const settings = service.roomSettings(robotId, map.floor);
  const { currentFloor, floors } = service.floors(robotId);
  return toMapJson(map, {
    robotId,
    floors,
    currentFloor,
    updatedAt: held.updatedAt,
    rooms: jsonRooms(map, (room) => settings.get(room.id), roomLabels(map)),
  });
}
