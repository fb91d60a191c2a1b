/**
 * Battery model: linear drain and charge rates per minute, in the range of common 5200 mAh robots
 * (about 2.5 h of standard vacuuming, about 1 h to charge from 15 % to 80 %).
 */
import type { CleanMode, FanSpeed, WaterLevel } from "../protocol/robot-state.ts";

/** At or below this level a cleaning job breaks off and the robot goes to charge. */
export const LOW_BATTERY_PERCENT = 15;
/** A job interrupted for charging continues by itself once the battery is back at this level. */
export const RESUME_BATTERY_PERCENT = 80;
/** New jobs are refused below this level unless the robot is on its dock (where it charges first). */
export const MIN_START_BATTERY_PERCENT = 20;

export const CHARGE_PERCENT_PER_MIN = 2;
/** Off the dock, doing nothing: electronics and wifi stay on. */
export const IDLE_DRAIN_PERCENT_PER_MIN = 0.05;
/** Driving without cleaning (goto, returning to the dock). */
export const DRIVE_DRAIN_PERCENT_PER_MIN = 0.35;

const FAN_DRAIN_PERCENT_PER_MIN: Record<FanSpeed, number> = {
  off: 0.3,
  quiet: 0.45,
  standard: 0.6,
  strong: 0.8,
  max: 1.1,
};
/** The water pump and the mop's drag cost a little extra. */
const MOP_EXTRA_PERCENT_PER_MIN = 0.1;

export interface CleaningSettings {
  fanSpeed: FanSpeed;
  waterLevel: WaterLevel;
  mode: CleanMode;
}

export const isMopping = (s: CleaningSettings): boolean => s.mode !== "vacuum" && s.waterLevel !== "off";

export function cleaningDrainPerMin(s: CleaningSettings): number {
  return FAN_DRAIN_PERCENT_PER_MIN[s.fanSpeed] + (isMopping(s) ? MOP_EXTRA_PERCENT_PER_MIN : 0);
}

export type PowerActivity = "cleaning" | "driving" | "idle";

/** The battery's charge: a float internally, a whole percent outside. */
export class Battery {
  private level: number;

  constructor(percent = 100) {
    this.level = percent;
  }

  /**
   * The whole percent the robot reports. Every threshold (low battery, resume, full) compares this value,
   * so what a client sees always matches what the robot decided (it resumes showing 80, not 79.99).
   */
  get percent(): number {
    return Math.round(this.level);
  }

  set(percent: number): void {
    this.level = Math.max(0, Math.min(100, percent));
  }

  charge(minutes: number): void {
    this.set(this.level + CHARGE_PERCENT_PER_MIN * minutes);
  }

  drain(minutes: number, activity: PowerActivity, settings: CleaningSettings): void {
    const rate =
      activity === "cleaning"
        ? cleaningDrainPerMin(settings)
        : activity === "driving"
          ? DRIVE_DRAIN_PERCENT_PER_MIN
          : IDLE_DRAIN_PERCENT_PER_MIN;
    this.set(this.level - rate * minutes);
  }
}
