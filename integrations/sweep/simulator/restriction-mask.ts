/**
 * Turns a floor's restrictions into the cells the robot's centre must not enter. Areas are grown by the robot's
 * radius and virtual walls are given the robot's width, so the whole body (not only its centre) stays out, as
 * users expect of a no-go zone. No-mop areas only count while the robot mops.
 */
import { ProtocolError } from "../protocol/errors.ts";
import type { Restriction } from "../protocol/map-model.ts";
import { ROBOT_RADIUS_MM } from "./navigation.ts";
import { cellCenter, type OccupancyGrid } from "./occupancy-grid.ts";

export function restrictionMask(
  grid: OccupancyGrid,
  restrictions: readonly Restriction[],
  mopping: boolean,
): Uint8Array | null {
  const active = restrictions.filter((r) => r.kind !== "no_mop" || mopping);
  if (active.length === 0) return null;
  const mask = new Uint8Array(grid.cells.length);
  // Half a cell of slack: a cell is blocked when any part of it could put the body over the line.
  const grow = ROBOT_RADIUS_MM + grid.resolutionMm / 2;
  for (let i = 0; i < mask.length; i++) {
    const p = cellCenter(grid, i);
    for (const r of active) {
      if (r.kind === "virtual_wall" ? distanceToSegment(p, r) <= grow : inRect(p, r, grow)) {
        mask[i] = 1;
        break;
      }
    }
  }
  return mask;
}

const inRect = (p: { x: number; y: number }, r: Restriction, grow: number) =>
  p.x >= Math.min(r.x1, r.x2) - grow &&
  p.x <= Math.max(r.x1, r.x2) + grow &&
  p.y >= Math.min(r.y1, r.y2) - grow &&
  p.y <= Math.max(r.y1, r.y2) + grow;

function distanceToSegment(p: { x: number; y: number }, r: Restriction): number {
  const dx = r.x2 - r.x1;
  const dy = r.y2 - r.y1;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - r.x1) * dx + (p.y - r.y1) * dy) / len2));
  return Math.hypot(p.x - (r.x1 + t * dx), p.y - (r.y1 + t * dy));
}

/** Checks a new restriction list: unique ids, sensible sizes, and no no-go area or wall over the dock. */
export function checkRestrictions(
  restrictions: readonly Restriction[],
  dock: { x: number; y: number } | null,
): void {
  const ids = new Set<string>();
  for (const r of restrictions) {
    if (ids.has(r.id)) throw new ProtocolError("invalid_payload", `Restriction id "${r.id}" is used twice.`);
    ids.add(r.id);
    const w = Math.abs(r.x2 - r.x1);
    const h = Math.abs(r.y2 - r.y1);
    if (r.kind === "virtual_wall" ? Math.hypot(w, h) < 100 : w < 100 || h < 100) {
      throw new ProtocolError(
        "invalid_payload",
        `Restriction "${r.id}" is too small (areas at least 100 x 100 mm, walls at least 100 mm long).`,
        { restriction: r.id },
      );
    }
    if (dock && r.kind !== "no_mop") {
      const near =
        r.kind === "virtual_wall" ? distanceToSegment(dock, r) <= ROBOT_RADIUS_MM : inRect(dock, r, 0);
      if (near) {
        throw new ProtocolError("invalid_payload", `Restriction "${r.id}" would block the dock.`, {
          restriction: r.id,
        });
      }
    }
  }
}
