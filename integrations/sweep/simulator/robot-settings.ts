/**
 * Rules for fan speed, water level and mode changes. Chosen behaviour (documented for the protocol):
 * - Asking for fan "off" outside mop mode, or water "off" in a mopping mode, is refused (invalid_payload):
 *   the caller asked for something the robot cannot do.
 * - Switching the mode fixes what the new mode cannot keep: into a mopping mode with water "off" sets
 *   water to "medium"; out of mop mode with fan "off" sets the fan to "standard". A mode switch from a
 *   mode picker then always works, as in vendor apps.
 */
import { ProtocolError } from "../protocol/errors.ts";
import {
  CLEAN_MODES,
  type CleanMode,
  FAN_SPEEDS,
  type FanSpeed,
  WATER_LEVELS,
  type WaterLevel,
} from "../protocol/robot-state.ts";
import type { CleaningSettings } from "./battery.ts";

/** Field values are checked at runtime: protocol payload types carry them as plain strings. */
export interface SettingsChange {
  fanSpeed?: string;
  waterLevel?: string;
  mode?: string;
}

export const DEFAULT_SETTINGS: CleaningSettings = { fanSpeed: "standard", waterLevel: "off", mode: "vacuum" };

export function applySettings(current: CleaningSettings, change: SettingsChange): CleaningSettings {
  const check = (name: string, value: unknown, allowed: readonly string[]) => {
    if (value !== undefined && (typeof value !== "string" || !allowed.includes(value))) {
      throw new ProtocolError(
        "invalid_payload",
        `Unknown ${name} "${value}"; expected one of ${allowed.join(", ")}.`,
        {
          field: name,
        },
      );
    }
  };
  check("fanSpeed", change.fanSpeed, FAN_SPEEDS);
  check("waterLevel", change.waterLevel, WATER_LEVELS);
  check("mode", change.mode, CLEAN_MODES);
  if (change.fanSpeed === undefined && change.waterLevel === undefined && change.mode === undefined) {
    throw new ProtocolError("invalid_payload", "Nothing to change: give fanSpeed, waterLevel and/or mode.");
  }
  const next: CleaningSettings = {
    fanSpeed: (change.fanSpeed as FanSpeed | undefined) ?? current.fanSpeed,
    waterLevel: (change.waterLevel as WaterLevel | undefined) ?? current.waterLevel,
    mode: (change.mode as CleanMode | undefined) ?? current.mode,
  };
  if (change.fanSpeed === "off" && next.mode !== "mop") {
    throw new ProtocolError("invalid_payload", 'Fan speed "off" is only possible in mode "mop".', {
      field: "fanSpeed",
    });
  }
  if (change.waterLevel === "off" && next.mode !== "vacuum") {
    throw new ProtocolError(
      "invalid_payload",
      `Water level "off" is not possible while mopping (mode "${next.mode}"); switch the mode to "vacuum" first.`,
      { field: "waterLevel" },
    );
  }
  if (next.mode !== "vacuum" && next.waterLevel === "off") next.waterLevel = "medium";
  if (next.mode !== "mop" && next.fanSpeed === "off") next.fanSpeed = "standard";
  return next;
}
