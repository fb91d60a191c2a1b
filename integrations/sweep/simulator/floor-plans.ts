/** The built-in homes a simulated robot can live in. */
import { FLOOR_PLAN_IDS, type FloorDef, type FloorPlan, type FloorPlanId } from "./floor-plan.ts";
import { apartment } from "./plans/apartment.ts";
import { house } from "./plans/house.ts";
import { loft } from "./plans/loft.ts";

const PLANS: Record<FloorPlanId, FloorPlan> = { apartment, house, loft };

export function listFloorPlans(): FloorPlanId[] {
  return [...FLOOR_PLAN_IDS];
}

export const isFloorPlanId = (id: string): id is FloorPlanId =>
  (FLOOR_PLAN_IDS as readonly string[]).includes(id);

export function getFloorPlan(id: FloorPlanId): FloorPlan {
  return PLANS[id];
}

/** The floor a robot starts on when none is given: the one with the dock. */
export function dockFloor(plan: FloorPlan): FloorDef {
  return plan.floors.find((f) => f.dock !== null) ?? plan.floors[0];
}
