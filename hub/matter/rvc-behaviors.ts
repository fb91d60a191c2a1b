/**
 * The Robotic Vacuum Cleaner device (device type 0x74) with one behavior per cluster, after matter.js's own RVC
 * example: each command handler is a method override that hands the command to the hub (RobotEndpoint), which
 * sends it through RobotManager, the one command path. Attribute values are pushed from the hub, never invented
 * here: a handler reports the robot's answer, and the new state follows from the robot's own state update.
 */
import type { Endpoint } from "@matter/main";
import { BridgedDeviceBasicInformationServer } from "@matter/main/behaviors/bridged-device-basic-information";
import { IdentifyServer } from "@matter/main/behaviors/identify";
import { PowerSourceServer } from "@matter/main/behaviors/power-source";
import { RvcCleanModeServer } from "@matter/main/behaviors/rvc-clean-mode";
import { RvcRunModeServer } from "@matter/main/behaviors/rvc-run-mode";
import { ServiceAreaServer } from "@matter/main/behaviors/service-area";
import { Identify } from "@matter/main/clusters/identify";
import type { ModeBase } from "@matter/main/clusters/mode-base";
import type { RvcOperationalState } from "@matter/main/clusters/rvc-operational-state";
import { ServiceArea } from "@matter/main/clusters/service-area";
import {
  RoboticVacuumCleanerDevice,
  RoboticVacuumCleanerRequirements,
} from "@matter/main/devices/robotic-vacuum-cleaner";

type ModeResponse = ModeBase.ChangeToModeResponse;
type OperationalResponse = RvcOperationalState.OperationalCommandResponse;

/** What the behaviors ask of the hub for one robot (implemented by RobotEndpoint). */
export interface RvcCommandHandler {
  changeRunMode(newMode: number, selectedAreas: readonly number[]): Promise<ModeResponse>;
  changeCleanMode(newMode: number): Promise<ModeResponse>;
  pause(): Promise<OperationalResponse>;
  resume(): Promise<OperationalResponse>;
  goHome(): Promise<OperationalResponse>;
  /** Checks a selection before it is stored: all areas on one floor, the robot's current one. */
  checkAreas(newAreas: readonly number[]): ServiceArea.SelectAreasResponse;
  identify(): Promise<void>;
}

/** Behaviors cannot take constructor arguments; each robot's endpoint is registered here before it goes online. */
const handlers = new WeakMap<object, RvcCommandHandler>();

export function attachHandler(endpoint: Endpoint, handler: RvcCommandHandler): void {
  handlers.set(endpoint, handler);
}

function handlerOf(endpoint: object): RvcCommandHandler {
  const h = handlers.get(endpoint);
  // Only reachable if an endpoint were created without RobotEndpoint, i.e. a bug in this module.
  if (!h) throw new Error("Matter endpoint has no robot attached");
  return h;
}

export class RobotRunModeServer extends RvcRunModeServer {
  override async changeToMode({ newMode }: ModeBase.ChangeToModeRequest): Promise<ModeResponse> {
    const selected = this.agent.has(RobotServiceAreaServer)
      ? [...this.agent.get(RobotServiceAreaServer).state.selectedAreas]
      : [];
    return handlerOf(this.endpoint).changeRunMode(newMode, selected);
  }
}

export class RobotCleanModeServer extends RvcCleanModeServer {
  override async changeToMode({ newMode }: ModeBase.ChangeToModeRequest): Promise<ModeResponse> {
    return handlerOf(this.endpoint).changeCleanMode(newMode);
  }
}

/**
 * Extends the RVC device's requirement class, in which the OperationCompletion event is mandatory (§7.4.7).
 * Implementing pause, resume and goHome is what advertises them.
 */
export class RobotOperationalStateServer extends RoboticVacuumCleanerRequirements.RvcOperationalStateServer {
  override pause(): Promise<OperationalResponse> {
    return handlerOf(this.endpoint).pause();
  }

  override resume(): Promise<OperationalResponse> {
    return handlerOf(this.endpoint).resume();
  }

  override goHome(): Promise<OperationalResponse> {
    return handlerOf(this.endpoint).goHome();
  }
}

/**
 * Maps (floors) and progress reporting. With Maps on, an empty supportedMaps is valid (one floor) and the base
 * class's start-up check runs without the crash 0.17.9 has when Maps is off (MATTER-NOTES pitfall 3).
 */
export class RobotServiceAreaServer extends ServiceAreaServer.with(
  ServiceArea.Feature.Maps,
  ServiceArea.Feature.ProgressReporting,
) {
  override assertSelectServiceArea(request: ServiceArea.SelectAreasRequest) {
    const base = super.assertSelectServiceArea(request);
    if (base.result.status !== ServiceArea.SelectAreasStatus.Success) return base;
    const check = handlerOf(this.endpoint).checkAreas(request.newAreas);
    return check.status === ServiceArea.SelectAreasStatus.Success ? base : { result: check };
  }
}

/** Identify plays the robot's locate sound (an audible beep, §1.2.5.1). */
export class RobotIdentifyServer extends IdentifyServer {
  override initialize() {
    this.state.identifyType = Identify.IdentifyType.AudibleBeep;
    return super.initialize();
  }

  override async identify(request: Identify.IdentifyRequest): Promise<void> {
    await super.identify(request);
    if (request.identifyTime > 0) await handlerOf(this.endpoint).identify();
  }
}

/** PowerSource with the features selected explicitly: later matter.js versions select none by default. */
export const RobotPowerSourceServer = PowerSourceServer.with("Battery", "Rechargeable");

export const RobotVacuum = RoboticVacuumCleanerDevice.with(
  RobotIdentifyServer,
  RobotRunModeServer,
  RobotCleanModeServer,
  RobotOperationalStateServer,
  RobotServiceAreaServer,
  RobotPowerSourceServer,
);

export const BridgedRobotVacuum = RobotVacuum.with(BridgedDeviceBasicInformationServer);
