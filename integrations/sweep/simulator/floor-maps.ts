/** Rasterised floors of a plan with their navigation maps, built the first time a floor is needed. */
import type { FloorDef, FloorPlan } from "./floor-plan.ts";
import { NavigationMap } from "./navigation.ts";
import { DEFAULT_RESOLUTION_MM, rasteriseFloor } from "./occupancy-grid.ts";

export interface FloorMap {
  def: FloorDef;
  nav: NavigationMap;
}

export class FloorMaps {
  private readonly plan: FloorPlan;
  private readonly resolutionMm: number;
  private readonly maps = new Map<string, FloorMap>();

  constructor(plan: FloorPlan, resolutionMm = DEFAULT_RESOLUTION_MM) {
    this.plan = plan;
    this.resolutionMm = resolutionMm;
  }

  get(floorId: string): FloorMap {
    let map = this.maps.get(floorId);
    if (!map) {
      const def = this.plan.floors.find((f) => f.id === floorId);
      if (!def) throw new RangeError(`Plan "${this.plan.id}" has no floor "${floorId}"`);
      map = { def, nav: new NavigationMap(rasteriseFloor(def, this.resolutionMm)) };
      this.maps.set(floorId, map);
    }
    return map;
  }
}
