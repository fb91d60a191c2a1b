/**
 * Matter allocations (migration 0003): node ports and setup secrets, and the numbers controllers know rooms and
 * floors by. Allocation happens once; later reads return the same values.
 */
import { nextDiscriminator, nextPort, randomPasscode } from "../matter/setup-secrets.ts";
import type { Database } from "./database.ts";

export interface MatterNodeRecord {
  nodeKey: string;
  robotId: string | null;
  port: number;
  discriminator: number;
  passcode: number;
  createdAt: number;
}

export interface MatterAreaRecord {
  floor: string;
  roomId: string;
  areaId: number;
  name: string;
}

export interface MatterMapRecord {
  floor: string;
  mapId: number;
}

interface NodeRow {
  node_key: string;
  robot_id: string | null;
  port: number;
  discriminator: number;
  passcode: number;
  created_at: number;
}

export class MatterRepository {
  private readonly db: Database;
  private readonly stmts;

  constructor(db: Database) {
    this.db = db;
    this.stmts = {
      getNode: db.prepare<[string], NodeRow>("SELECT * FROM matter_nodes WHERE node_key = ?"),
      allNodes: db.prepare<[], NodeRow>("SELECT * FROM matter_nodes ORDER BY created_at, node_key"),
      insertNode: db.prepare(
        `INSERT INTO matter_nodes (node_key, robot_id, port, discriminator, passcode, created_at)
         VALUES (@nodeKey, @robotId, @port, @discriminator, @passcode, @createdAt)`,
      ),
      deleteNode: db.prepare("DELETE FROM matter_nodes WHERE node_key = ?"),
      maps: db.prepare<[string], { floor: string; map_id: number }>(
        "SELECT floor, map_id FROM matter_maps WHERE robot_id = ? ORDER BY map_id",
      ),
      insertMap: db.prepare(
        `INSERT INTO matter_maps (robot_id, floor, map_id)
         VALUES (?, ?, (SELECT coalesce(max(map_id), 0) + 1 FROM matter_maps WHERE robot_id = ?))
         ON CONFLICT (robot_id, floor) DO NOTHING`,
      ),
      areas: db.prepare<[string], { floor: string; room_id: string; area_id: number; name: string }>(
        `SELECT a.floor, a.room_id, a.area_id, a.name FROM matter_areas a
         JOIN matter_maps m ON m.robot_id = a.robot_id AND m.floor = a.floor
         WHERE a.robot_id = ? AND a.present = 1 ORDER BY m.map_id, a.sort_order, a.area_id`,
      ),
      upsertArea: db.prepare(
        `INSERT INTO matter_areas (robot_id, floor, room_id, area_id, name, sort_order)
         VALUES (@robotId, @floor, @roomId,
                 (SELECT coalesce(max(area_id), 0) + 1 FROM matter_areas WHERE robot_id = @robotId), @name, @sortOrder)
         ON CONFLICT (robot_id, floor, room_id) DO UPDATE SET
           name = excluded.name, sort_order = excluded.sort_order, present = 1`,
      ),
      markAbsentExcept: db.prepare(
        "UPDATE matter_areas SET present = 0 WHERE robot_id = ? AND floor = ? AND room_id NOT IN (SELECT value FROM json_each(?))",
      ),
    };
  }

  /** The node's allocation, made on first use: the next free port from `basePort`, a fresh passcode. */
  allocateNode(nodeKey: string, robotId: string | null, basePort: number, now: number): MatterNodeRecord {
    return this.db.transaction(() => {
      const existing = this.stmts.getNode.get(nodeKey);
      if (existing) return toNode(existing);
      const all = this.stmts.allNodes.all();
      const record: MatterNodeRecord = {
        nodeKey,
        robotId,
        port: nextPort(
          basePort,
          all.map((r) => r.port),
        ),
        discriminator: nextDiscriminator(all.map((r) => r.discriminator)),
        passcode: randomPasscode(),
        createdAt: now,
      };
      this.stmts.insertNode.run(record);
      return record;
    })();
  }

  getNode(nodeKey: string): MatterNodeRecord | null {
    const row = this.stmts.getNode.get(nodeKey);
    return row ? toNode(row) : null;
  }

  deleteNode(nodeKey: string): void {
    this.stmts.deleteNode.run(nodeKey);
  }

  /**
   * Records the rooms of one floor as the robot reports them now: new rooms get the next area id, renamed rooms
   * keep theirs, rooms that are gone (merged, deleted) are hidden; their ids are never reused. Returns every known floor and room.
   */
  syncFloor(
    robotId: string,
    floor: string,
    rooms: readonly { id: string; name: string }[],
  ): { maps: MatterMapRecord[]; areas: MatterAreaRecord[] } {
    this.db.transaction(() => {
      this.stmts.insertMap.run(robotId, floor, robotId);
      for (const [i, room] of rooms.entries())
        this.stmts.upsertArea.run({ robotId, floor, roomId: room.id, name: room.name, sortOrder: i });
      this.stmts.markAbsentExcept.run(robotId, floor, JSON.stringify(rooms.map((r) => r.id)));
    })();
    return this.known(robotId);
  }

  known(robotId: string): { maps: MatterMapRecord[]; areas: MatterAreaRecord[] } {
    return {
      maps: this.stmts.maps.all(robotId).map((r) => ({ floor: r.floor, mapId: r.map_id })),
      areas: this.stmts.areas
        .all(robotId)
        .map((r) => ({ floor: r.floor, roomId: r.room_id, areaId: r.area_id, name: r.name })),
    };
  }
}

function toNode(row: NodeRow): MatterNodeRecord {
  return {
    nodeKey: row.node_key,
    robotId: row.robot_id,
    port: row.port,
    discriminator: row.discriminator,
    passcode: row.passcode,
    createdAt: row.created_at,
  };
}
