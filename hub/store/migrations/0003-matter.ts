import type { Migration } from "./migration.ts";

/**
 * Matter: each node's UDP port, discriminator and setup passcode, allocated once and kept so a robot keeps its
 * pairing code and controllers find it at the same port after a restart (node_key is a robot id for a
 * standalone node, or "bridge"). Area and map ids are what controllers store for "clean the kitchen", so each
 * room and floor keeps its number for good: a room that disappears (merged, deleted) is marked absent rather than
 * deleted, so its number is never given to another room. The fabric keys themselves live in matter.js's own storage
 * (data/matter), never here.
 */
export const matterSchema: Migration = {
  version: 3,
  name: "matter",
  up(db) {
    db.exec(`
      CREATE TABLE matter_nodes (
        node_key TEXT PRIMARY KEY,
        robot_id TEXT REFERENCES robots(id) ON DELETE CASCADE,
        port INTEGER NOT NULL UNIQUE CHECK (port BETWEEN 1 AND 65535),
        discriminator INTEGER NOT NULL CHECK (discriminator BETWEEN 0 AND 4095),
        passcode INTEGER NOT NULL CHECK (passcode BETWEEN 1 AND 99999998),
        created_at INTEGER NOT NULL
      );

      CREATE TABLE matter_maps (
        robot_id TEXT NOT NULL REFERENCES robots(id) ON DELETE CASCADE,
        floor TEXT NOT NULL,
        map_id INTEGER NOT NULL,
        PRIMARY KEY (robot_id, floor),
        UNIQUE (robot_id, map_id)
      );

      CREATE TABLE matter_areas (
        robot_id TEXT NOT NULL REFERENCES robots(id) ON DELETE CASCADE,
        floor TEXT NOT NULL,
        room_id TEXT NOT NULL,
        area_id INTEGER NOT NULL,
        name TEXT NOT NULL,
        sort_order INTEGER NOT NULL DEFAULT 0,
        present INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (robot_id, floor, room_id),
        UNIQUE (robot_id, area_id)
      );
    `);
  },
};
