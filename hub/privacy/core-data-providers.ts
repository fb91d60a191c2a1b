/**
 * The data providers of the hub's core features (see hub/core/data-registry.ts): paired robots and their
 * cleaning history. Maps, Matter and others register their own next to their code.
 */
import { join } from "node:path";
import type { Config } from "../config/load.ts";
import type { DataRegistry } from "../core/data-registry.ts";
import type { CleaningRepository } from "../store/cleaning-repository.ts";
import type { Database } from "../store/database.ts";

export function registerCoreDataProviders(
  registry: DataRegistry,
  deps: { db: Database; cleaning: CleaningRepository; config: Config; dataDir: string },
): void {
  const dbPath = join(deps.dataDir, "sweephub.db");
  const deleteHistory = deps.db.prepare("DELETE FROM cleaning_sessions WHERE robot_id = ?");
  registry.register({
    id: "cleaning-history",
    description: "Cleaning history: when each run started and ended, its result, the rooms and area cleaned",
    location: `${dbPath} (table cleaning_sessions)`,
    retention: `${deps.config.retention.days} days (retention.days); not kept for robots whose keepHistory consent is off`,
    visibleTo: "owner, admins and users with view access to the robot",
    exportRobot: (robotId) => ({
      "sessions.json": deps.cleaning.list(robotId, { limit: Number.MAX_SAFE_INTEGER }),
    }),
    deleteRobot: (robotId) => {
      deleteHistory.run(robotId);
    },
  });
  registry.register({
    id: "robot-pairing",
    description:
      "Paired robots: name, model, serial, network address, pinned certificate, capabilities and last known state",
    location: `${dbPath} (table robots); the hub's own key in ${join(deps.dataDir, "keys")}`,
    retention: "until the robot is unpaired",
    visibleTo: "owner, admins and users with view access to the robot",
  });
}
