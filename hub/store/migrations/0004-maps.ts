import type { Migration } from "./migration.ts";

/**
 * Maps (docs/architecture.md "Maps"): the current map of every robot and floor, the map each cleaning session
 * ended with (deleted with its session, so retention covers it), and what users set for rooms (name, colour,
 * order), kept by the hub so it survives the robot re-mapping. Maps are stored as the protocol's binary full
 * frame (docs/protocol.md §8): compact, checksummed, and decoded by the same code as frames from robots.
 */
export const mapsSchema: Migration = {
  version: 4,
  name: "maps",
  up(db) {
    db.exec(`
      CREATE TABLE maps (
        robot_id TEXT NOT NULL REFERENCES robots(id) ON DELETE CASCADE,
        floor TEXT NOT NULL,
        version INTEGER NOT NULL,
        frame BLOB NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (robot_id, floor)
      );

      CREATE TABLE map_snapshots (
        robot_id TEXT NOT NULL,
        job_id TEXT NOT NULL,
        floor TEXT NOT NULL,
        version INTEGER NOT NULL,
        frame BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (robot_id, job_id),
        FOREIGN KEY (robot_id, job_id) REFERENCES cleaning_sessions (robot_id, job_id) ON DELETE CASCADE
      );
      CREATE INDEX map_snapshots_robot_created ON map_snapshots (robot_id, created_at);

      CREATE TABLE map_rooms (
        robot_id TEXT NOT NULL REFERENCES robots(id) ON DELETE CASCADE,
        floor TEXT NOT NULL,
        room_id TEXT NOT NULL,
        name TEXT,
        color TEXT,
        sort_order INTEGER,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (robot_id, floor, room_id)
      );
    `);
  },
};
