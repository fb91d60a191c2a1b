/**
 * Consumable wear, counted in cleaning minutes against typical vendor lifetimes (Roborock and Dreame
 * manuals: main brush 300 h, side brush 200 h, filter 150 h, mop pad 180 h, sensor cleaning every 30 h).
 */
import { CONSUMABLE_IDS, type Consumable, type ConsumableId } from "../protocol/robot-state.ts";
import { type CleaningSettings, isMopping } from "./battery.ts";

export const CONSUMABLE_LIFETIME_MIN: Record<ConsumableId, number> = {
  main_brush: 300 * 60,
  side_brush: 200 * 60,
  filter: 150 * 60,
  mop_pad: 180 * 60,
  sensors: 30 * 60,
};

export class ConsumableWear {
  private readonly usedMin = new Map<ConsumableId, number>(CONSUMABLE_IDS.map((id) => [id, 0]));

  /**
   * Adds `minutes` of cleaning with the given settings. Returns whether any remainingPercent changed (the
   * robot then reports its consumables).
   */
  wear(minutes: number, settings: CleaningSettings): boolean {
    const before = this.percentages();
    for (const id of CONSUMABLE_IDS) {
      if (id === "mop_pad" && !isMopping(settings)) continue;
      // The filter only sees air when the fan turns; brushes and sensors work in every mode.
      if (id === "filter" && settings.fanSpeed === "off") continue;
      this.usedMin.set(id, this.used(id) + minutes);
    }
    const after = this.percentages();
    return after.some((p, k) => p !== before[k]);
  }

  reset(id: ConsumableId): void {
    this.usedMin.set(id, 0);
  }

  /** Sets the wear directly (tests, demos showing a worn brush). */
  setUsed(id: ConsumableId, minutes: number): void {
    this.usedMin.set(id, Math.max(0, minutes));
  }

  list(): Consumable[] {
    return CONSUMABLE_IDS.map((id) => ({
      id,
      lifetimeMin: CONSUMABLE_LIFETIME_MIN[id],
      usedMin: Math.round(this.used(id) * 100) / 100,
      remainingPercent: remainingPercent(this.used(id), CONSUMABLE_LIFETIME_MIN[id]),
    }));
  }

  private used(id: ConsumableId): number {
    return this.usedMin.get(id) ?? 0;
  }

  private percentages(): number[] {
    return CONSUMABLE_IDS.map((id) => remainingPercent(this.used(id), CONSUMABLE_LIFETIME_MIN[id]));
  }
}

const remainingPercent = (used: number, lifetime: number) =>
  Math.max(0, Math.min(100, Math.round(100 * (1 - used / lifetime))));
