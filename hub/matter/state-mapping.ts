/**
 * The hub's robot model translated into Matter attribute values (pure functions, unit-tested): run mode, clean
 * modes, operational state and error, power source. The RVC clusters are specified in the Matter 1.4 Application
 * Cluster specification §7.2 (RVC Run Mode), §7.3 (RVC Clean Mode) and §7.4 (RVC Operational State).
 */
import { PowerSource } from "@matter/main/clusters/power-source";
import { RvcCleanMode } from "@matter/main/clusters/rvc-clean-mode";
import { RvcOperationalState } from "@matter/main/clusters/rvc-operational-state";
import { RvcRunMode } from "@matter/main/clusters/rvc-run-mode";
import type { Capabilities } from "../../integrations/sweep/protocol/methods.ts";
import type {
  CleanMode,
  FanSpeed,
  RobotFaultCode,
  RobotState,
  RobotStatus,
  WaterLevel,
} from "../../integrations/sweep/protocol/robot-state.ts";

const OpState = RvcOperationalState.OperationalState;
const ErrorState = RvcOperationalState.ErrorState;

/** RvcRunMode modes. Numbers are what controllers store, so they never change. */
export const RUN_MODE = { idle: 0, cleaning: 1, mapping: 2 } as const;

export interface RunModeOption {
  label: string;
  mode: number;
  modeTags: { value: number }[];
}

const IDLE: RunModeOption = {
  label: "Idle",
  mode: RUN_MODE.idle,
  modeTags: [{ value: RvcRunMode.ModeTag.Idle }],
};
const CLEANING: RunModeOption = {
  label: "Cleaning",
  mode: RUN_MODE.cleaning,
  modeTags: [{ value: RvcRunMode.ModeTag.Cleaning }],
};
const MAPPING: RunModeOption = {
  label: "Mapping",
  mode: RUN_MODE.mapping,
  modeTags: [{ value: RvcRunMode.ModeTag.Mapping }],
};

/**
 * Idle and Cleaning for every robot; Mapping (§7.2.7.2 mode tag Mapping) only for robots with a mapping pass
 * (capability `mapping_pass`): advertising a mode the robot cannot perform would be a fake feature.
 */
export function runModesFor(capabilities: Capabilities): RunModeOption[] {
  return Object.hasOwn(capabilities, "mapping_pass") ? [IDLE, CLEANING, MAPPING] : [IDLE, CLEANING];
}

/**
 * A robot is in the Cleaning run mode for as long as it has a cleaning job, paused or heading to charge mid-job
 * included; in Mapping while it has a mapping pass; a goto is no run mode (Idle).
 */
export function runModeOf(state: RobotState | null): number {
  const kind = state?.job?.kind;
  if (!kind || kind === "goto") return RUN_MODE.idle;
  return kind === "mapping" ? RUN_MODE.mapping : RUN_MODE.cleaning;
}

/** States every robot can be in; the list must contain Error (§7.4.5: OperationalStateList). */
export const OPERATIONAL_STATES = [
  OpState.Stopped,
  OpState.Running,
  OpState.Paused,
  OpState.Error,
  OpState.SeekingCharger,
  OpState.Charging,
  OpState.Docked,
].map((operationalStateId) => ({ operationalStateId }));

/** The spec's RVC error ids (§7.4.4.2 ErrorStateEnum) for each fault a robot reports. */
export const FAULT_ERROR_IDS: Record<RobotFaultCode, number> = {
  stuck: ErrorState.Stuck,
  brush_jammed: ErrorState.BrushJammed,
  bin_full: ErrorState.DustBinFull,
  // A cliff sensor that is blocked or dirty is an obscured navigation sensor (spec: "LiDAR, infrared, or camera").
  cliff_sensor: ErrorState.NavigationSensorObscured,
  wheel_blocked: ErrorState.WheelsJammed,
};

export interface OperationalStatus {
  operationalState: number;
  operationalError: { errorStateId: number; errorStateLabel?: string; errorStateDetails?: string };
}

/** Operational state and error of a robot; an offline robot is reported as an error it cannot recover from. */
export function operationalStatusOf(state: RobotState | null, online: boolean): OperationalStatus {
  const noError = { errorStateId: ErrorState.NoError };
  if (!online || !state) {
    return {
      operationalState: OpState.Error,
      operationalError: {
        errorStateId: ErrorState.UnableToCompleteOperation,
        errorStateDetails: "The robot is offline",
      },
    };
  }
  if (state.status === "error" || state.error) {
    const code = state.error?.code;
    return {
      operationalState: OpState.Error,
      operationalError: {
        errorStateId: code ? FAULT_ERROR_IDS[code as RobotFaultCode] : ErrorState.UnableToCompleteOperation,
        ...(state.error ? { errorStateDetails: state.error.message.slice(0, 64) } : {}),
      },
    };
  }
  const byStatus: Record<Exclude<RobotStatus, "error">, number> = {
    cleaning: OpState.Running,
    moving: OpState.Running,
    paused: OpState.Paused,
    returning: OpState.SeekingCharger,
    charging: OpState.Charging,
    docked: OpState.Docked,
    idle: OpState.Stopped,
  };
  const operationalState = byStatus[state.status as Exclude<RobotStatus, "error">];
  // A docked robot that still charges is Charging, however the robot itself words it.
  const refined =
    state.docked && state.charging && operationalState === OpState.Docked
      ? OpState.Charging
      : operationalState;
  return { operationalState: refined, operationalError: noError };
}

/** Why a robot fault stops a run-mode change (§7.2.7.1 StatusCode). */
export const FAULT_RUN_MODE_STATUS: Partial<Record<RobotFaultCode, number>> = {
  stuck: RvcRunMode.ModeChangeStatus.Stuck,
  bin_full: RvcRunMode.ModeChangeStatus.DustBinFull,
};

// ---- clean modes -------------------------------------------------------------------------------------------

export interface CleanModeOption {
  label: string;
  mode: number;
  modeTags: { value: number }[];
  /** What choosing it sets on the robot. */
  settings: { mode?: CleanMode; fanSpeed?: FanSpeed; waterLevel?: WaterLevel };
}

const CLEAN_MODE_LABEL: Record<CleanMode, string> = {
  vacuum: "Vacuum",
  mop: "Mop",
  vacuum_and_mop: "Vacuum and mop",
};
const CLEAN_MODE_TAGS: Record<CleanMode, number[]> = {
  vacuum: [RvcCleanMode.ModeTag.Vacuum],
  mop: [RvcCleanMode.ModeTag.Mop],
  vacuum_and_mop: [RvcCleanMode.ModeTag.Vacuum, RvcCleanMode.ModeTag.Mop],
};
const INTENSITY_TAGS: Record<string, number[]> = {
  quiet: [RvcCleanMode.ModeTag.Quiet],
  standard: [RvcCleanMode.ModeTag.Auto],
  strong: [RvcCleanMode.ModeTag.DeepClean],
  max: [RvcCleanMode.ModeTag.Max],
  low: [RvcCleanMode.ModeTag.Min],
  medium: [RvcCleanMode.ModeTag.Auto],
  high: [RvcCleanMode.ModeTag.Max],
};
const title = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * One Matter clean mode per (cleaning mode, intensity) the robot offers: vacuuming intensities are its fan
 * presets, mopping intensities its water levels ("off" is not an intensity). Mode numbers are positional and so
 * stable for a given set of capabilities.
 */
export function cleanModesFor(capabilities: Capabilities): CleanModeOption[] {
  // Static types of the capability schema widen enum members to string; the robot's hello was validated.
  const modes = (capabilities.clean_mode?.modes ?? ["vacuum"]) as CleanMode[];
  const fans = ((capabilities.fan_speed?.presets ?? []) as FanSpeed[]).filter((f) => f !== "off");
  const waters = ((capabilities.water_level?.presets ?? []) as WaterLevel[]).filter((w) => w !== "off");
  const out: CleanModeOption[] = [];
  const withMode = capabilities.clean_mode !== undefined;
  for (const mode of modes) {
    const intensities: { name: string; settings: CleanModeOption["settings"] }[] =
      mode === "mop"
        ? waters.map((w) => ({ name: w, settings: { waterLevel: w } }))
        : fans.map((f) => ({ name: f, settings: { fanSpeed: f } }));
    if (intensities.length === 0) intensities.push({ name: "", settings: {} });
    for (const intensity of intensities) {
      out.push({
        label: intensity.name ? `${CLEAN_MODE_LABEL[mode]}, ${intensity.name}` : CLEAN_MODE_LABEL[mode],
        mode: out.length,
        modeTags: [...CLEAN_MODE_TAGS[mode], ...(INTENSITY_TAGS[intensity.name] ?? [])].map((value) => ({
          value,
        })),
        settings: { ...(withMode ? { mode } : {}), ...intensity.settings },
      });
    }
  }
  return out.map((o) => ({ ...o, label: title(o.label) }));
}

/** The clean mode matching the robot's settings; the first one of its cleaning mode when none matches exactly. */
export function currentCleanModeOf(options: readonly CleanModeOption[], state: RobotState | null): number {
  if (!state || options.length === 0) return 0;
  const sameMode = options.filter((o) => o.settings.mode === undefined || o.settings.mode === state.mode);
  const exact = sameMode.find(
    (o) =>
      (o.settings.fanSpeed === undefined || o.settings.fanSpeed === state.fanSpeed) &&
      (o.settings.waterLevel === undefined || o.settings.waterLevel === state.waterLevel),
  );
  return (exact ?? sameMode[0] ?? options[0]).mode;
}

// ---- power source -----------------------------------------------------------------------------------------

export interface PowerSourceValues {
  status: number;
  batPercentRemaining: number;
  batChargeLevel: number;
  batChargeState: number;
}

/** PowerSource reports half-percent units (§11.7.7.12: 200 = 100 %). Levels follow common robot thresholds. */
export function powerSourceOf(state: RobotState | null): PowerSourceValues | null {
  if (!state) return null;
  const b = state.battery;
  return {
    status: PowerSource.PowerSourceStatus.Active,
    batPercentRemaining: b * 2,
    batChargeLevel:
      b <= 10
        ? PowerSource.BatChargeLevel.Critical
        : b <= 20
          ? PowerSource.BatChargeLevel.Warning
          : PowerSource.BatChargeLevel.Ok,
    batChargeState: state.charging
      ? PowerSource.BatChargeState.IsCharging
      : state.docked && b >= 100
        ? PowerSource.BatChargeState.IsAtFullCharge
        : PowerSource.BatChargeState.IsNotCharging,
  };
}
