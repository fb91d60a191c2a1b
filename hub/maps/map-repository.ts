/**
 * Maps in SQLite (migration 0004): the current map per robot and floor and each cleaning session's final map,
 * both as binary full frames, and the room settings users make (name, colour, order).
 */
import type { Database } from "../store/database.ts";

export interface StoredFrame {
  robotId: string;
  floor: string;
  version: number;
  frame: Buffer;
  updatedAt: number;
}

export interface SnapshotInfo {
  jobId: string;
  floor: string;
  version: number;
  createdAt: number;
}

export interface RoomSettings {
  floor: string;
  roomId: string;
  name: string | null;
  color: string | null;
  order: number | null;
}

interface FrameRow {
  robot_id: string;
  floor: string;
  version: number;
  frame: Buffer;
  updated_at: number;
}
interface RoomRow {
  floor: string;
  room_id: string;
  name: string | null;
  color: string | null;
  sort_order: number | null;
}

export class MapRepository {
  private readonly db: Database;
  private readonly stmts;

  constructor(db: Database) {
    this.db = db;
    this.stmts = {
      save: db.prepare(`
        INSERT INTO maps (robot_id, floor, version, frame, updated_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (robot_id, floor) DO UPDATE SET
          version = excluded.version, frame = excluded.frame, updated_at = excluded.updated_at`),
      list: db.prepare<[string], FrameRow>("SELECT * FROM maps WHERE robot_id = ? ORDER BY floor"),
      snapshots: db.prepare<
        [string, number],
        { job_id: string; floor: string; version: number; created_at: number }
      >(
        `SELECT job_id, floor, version, created_at FROM map_snapshots WHERE robot_id = ?
         ORDER BY created_at DESC, job_id DESC LIMIT ?`,
      ),
      getSnapshot: db.prepare<[string, string], FrameRow & { created_at: number }>(
        "SELECT robot_id, floor, version, frame, created_at AS updated_at FROM map_snapshots WHERE robot_id = ? AND job_id = ?",
      ),
      rooms: db.prepare<[string], RoomRow>(
        "SELECT floor, room_id, name, color, sort_order FROM map_rooms WHERE robot_id = ? ORDER BY floor, room_id",
      ),
      saveRoom: db.prepare(`
        INSERT INTO map_rooms (robot_id, floor, room_id, name, color, sort_order, updated_at)
        VALUES (@robotId, @floor, @roomId, @name, @color, @order, @now)
        ON CONFLICT (robot_id, floor, room_id) DO UPDATE SET
          name = excluded.name, color = excluded.color, sort_order = excluded.sort_order,
          updated_at = excluded.updated_at`),
      deleteRoom: db.prepare("DELETE FROM map_rooms WHERE robot_id = ? AND floor = ? AND room_id = ?"),
    };
  }

  saveMap(robotId: string, floor: string, version: number, frame: Buffer, now: number): void {
    this.stmts.save.run(robotId, floor, version, frame, now);
  }

  maps(robotId: string): StoredFrame[] {
    return this.stmts.list.all(robotId).map((r) => ({
      robotId: r.robot_id,
      floor: r.floor,
      version: r.version,
      frame: r.frame,
      updatedAt: r.updated_at,
    }));
  }

  /** Keeps a session's final map; ignored when the session is not recorded (the hub missed it entirely). */
  saveSnapshot(
    robotId: string,
    jobId: string,
    floor: string,
    version: number,
    frame: Buffer,
    now: number,
  ): boolean {
    return (
      this.db
        .prepare(
          `INSERT OR REPLACE INTO map_snapshots (robot_id, job_id, floor, version, frame, created_at)
       SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM cleaning_sessions WHERE robot_id = ? AND job_id = ?)`,
        )
        .run(robotId, jobId, floor, version, frame, now, robotId, jobId).changes > 0
    );
  }

  snapshots(robotId: string, limit = 100): SnapshotInfo[] {
    return this.stmts.snapshots.all(robotId, limit).map((r) => ({
      jobId: r.job_id,
      floor: r.floor,
      version: r.version,
      createdAt: r.created_at,
    }));
  }

  snapshot(robotId: string, jobId: string): StoredFrame | null {
    const r = this.stmts.getSnapshot.get(robotId, jobId);
    return r
      ? { robotId: r.robot_id, floor: r.floor, version: r.version, frame: r.frame, updatedAt: r.updated_at }
      : null;
  }

  rooms(robotId: string): RoomSettings[] {
    return this.stmts.rooms.all(robotId).map((r) => ({
      floor: r.floor,
      roomId: r.room_id,
      name: r.name,
      color: r.color,
      order: r.sort_order,
    }));
  }

  saveRoom(robotId: string, room: RoomSettings, now: number): void {
    this.stmts.saveRoom.run({ robotId, ...room, now });
  }

  deleteRoom(robotId: string, floor: string, roomId: string): void {
    this.stmts.deleteRoom.run(robotId, floor, roomId);
  }

  /**
   * Sets the place in lists of every room of a floor at once: `roomIds[i]` gets order i. One transaction, so a
   * reorder is never half applied; names and colours stay as they are.
   */
  saveRoomOrder(robotId: string, floor: string, roomIds: readonly string[], now: number): void {
    const tx = this.db.transaction(() => {
      const current = new Map(
        this.rooms(robotId)
          .filter((r) => r.floor === floor)
          .map((r) => [r.roomId, r]),
      );
      roomIds.forEach((roomId, order) => {
        const row = current.get(roomId);
        this.saveRoom(
          robotId,
          { floor, roomId, name: row?.name ?? null, color: row?.color ?? null, order },
          now,
        );
      });
    });
    tx();
  }

  /** Moves a room's settings to the id the robot now uses for it (after re-mapping). */
  renameRoomId(robotId: string, floor: string, from: string, to: string, now: number): void {
    const tx = this.db.transaction(() => {
      const row = this.rooms(robotId).find((r) => r.floor === floor && r.roomId === from);
      if (!row) return;
      this.deleteRoom(robotId, floor, from);
      this.saveRoom(robotId, { ...row, roomId: to }, now);
    });
    tx();
  }

  /** Everything about one robot (data export); frames are binary, so they are listed, not dumped. */
  exportRobot(robotId: string): object {
    return {
      maps: this.maps(robotId).map(({ frame, ...rest }) => ({ ...rest, bytes: frame.length })),
      snapshots: this.snapshots(robotId, 10_000),
      rooms: this.rooms(robotId),
    };
  }

  deleteRobot(robotId: string): void {
    const tx = this.db.transaction(() => {
      this.db.prepare("DELETE FROM map_snapshots WHERE robot_id = ?").run(robotId);
      this.db.prepare("DELETE FROM maps WHERE robot_id = ?").run(robotId);
      this.db.prepare("DELETE FROM map_rooms WHERE robot_id = ?").run(robotId);
    });
    tx();
  }
}
