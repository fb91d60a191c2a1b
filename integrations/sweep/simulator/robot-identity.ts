/** What the simulator says about itself: its info record and the capabilities it implements. */
import { MAX_MAP_FRAME_BYTES } from "../protocol/map-frame.ts";
import { MAX_RESTRICTIONS, RESTRICTION_KINDS } from "../protocol/map-model.ts";
import type { Capabilities } from "../protocol/methods.ts";
import {
  CLEAN_MODES,
  CONSUMABLE_IDS,
  FAN_SPEEDS,
  type RobotInfo,
  WATER_LEVELS,
} from "../protocol/robot-state.ts";
import { MAX_ROOM_REPEATS, MAX_ZONE_REPEATS, MAX_ZONES } from "./job-requests.ts";

export const SIMULATOR_MANUFACTURER = "sweephub simulator";
export const DEFAULT_MODEL = "SweepSim S1";
export const DEFAULT_FIRMWARE = "1.0.0";

export function simulatorInfo(o: {
  id: string;
  name: string;
  model?: string;
  firmware?: string;
  serial?: string;
}): RobotInfo {
  return {
    id: o.id,
    name: o.name,
    model: o.model ?? DEFAULT_MODEL,
    manufacturer: SIMULATOR_MANUFACTURER,
    firmware: o.firmware ?? DEFAULT_FIRMWARE,
    serial: o.serial ?? `SIM-${o.id}`.slice(0, 64),
  };
}

/** Every capability of the protocol, with all presets: the simulator stands in for a top-end robot. */
export function simulatorCapabilities(floors: string[]): Capabilities {
  return {
    basic_control: {},
    locate: {},
    fan_speed: { presets: [...FAN_SPEEDS] },
    water_level: { presets: [...WATER_LEVELS] },
    clean_mode: { modes: [...CLEAN_MODES] },
    room_cleaning: { maxRepeats: MAX_ROOM_REPEATS },
    zone_cleaning: { maxZones: MAX_ZONES, maxRepeats: MAX_ZONE_REPEATS },
    go_to: {},
    consumables: { ids: [...CONSUMABLE_IDS] },
    map: { floors: [...floors], maxFrameBytes: MAX_MAP_FRAME_BYTES },
    map_segments_edit: {},
    restrictions: { kinds: [...RESTRICTION_KINDS], max: MAX_RESTRICTIONS },
    mapping_pass: {},
  };
}
