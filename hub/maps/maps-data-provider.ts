/**
 * Maps in the data registry (hub/core/data-registry.ts), so exports, "delete robot data" and the privacy page
 * include them: the current map of each floor, each cleaning session's final map and the room settings users
 * made. Maps are exported as binary map frames (docs/protocol.md §8) and as Valetudo JSON for other tools.
 */
import { decodeMapFrame } from "../../integrations/sweep/protocol/map-frame.ts";
import type { DataRegistry, ExportFiles } from "../core/data-registry.ts";
import type { MapRepository } from "./map-repository.ts";
import { toValetudoMap } from "./valetudo-map.ts";

export function registerMapsData(
  registry: DataRegistry,
  deps: { repo: MapRepository; dbPath: string },
): void {
  registry.register({
    id: "maps",
    description:
      "Maps of each floor (rooms, walls, furniture outlines, restrictions, the robot's paths), the map each cleaning session ended with, and the names, colours and order you gave rooms",
    location: `${deps.dbPath} (tables maps, map_snapshots, map_rooms)`,
    retention:
      "current maps and room settings until the robot is unpaired; session maps as long as their cleaning history (retention.days)",
    visibleTo: "owner, admins and users with view access to the robot",
    exportRobot: (robotId) => {
      const files: ExportFiles = { "summary.json": deps.repo.exportRobot(robotId) };
      for (const row of deps.repo.maps(robotId)) {
        const name = row.floor.replace(/[^A-Za-z0-9._-]/g, "_");
        files[`${name}.swmp`] = row.frame;
        try {
          const decoded = decodeMapFrame(row.frame);
          if (decoded.kind === "full") files[`${name}.valetudo.json`] = toValetudoMap(decoded.map, []);
        } catch {
          // A map whose pixel size is not whole centimetres has no Valetudo form; the frame is still exported.
        }
      }
      return files;
    },
    deleteRobot: (robotId) => deps.repo.deleteRobot(robotId),
  });
}
