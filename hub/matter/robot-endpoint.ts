/**
 * One paired robot as a Matter RVC endpoint: builds the endpoint from the hub's view, pushes every state change
 * to it (coalesced, so a burst of position events costs one write), keeps ServiceArea in step with the robot's
 * rooms, and turns Matter commands into hub commands through RobotManager (trigger "matter").
 */
import { Endpoint } from "@matter/main";
import { ModeBase } from "@matter/main/clusters/mode-base";
import { RvcOperationalState } from "@matter/main/clusters/rvc-operational-state";
import { ServiceArea } from "@matter/main/clusters/service-area";
import type { CleaningFinished } from "../../integrations/sweep/protocol/methods.ts";
import type { RobotFaultCode } from "../../integrations/sweep/protocol/robot-state.ts";
import { HubError } from "../core/errors.ts";
import type { RobotView } from "../core/robot-view.ts";
import type { Logger } from "../logging.ts";
import { type AreaModel, type AreaProgress, areaProgressOf, buildAreaModel } from "./area-mapping.ts";
import type { MatterHubLink } from "./hub-link.ts";
import {
  attachHandler,
  BridgedRobotVacuum,
  RobotOperationalStateServer,
  RobotServiceAreaServer,
  RobotVacuum,
  type RvcCommandHandler,
} from "./rvc-behaviors.ts";
import {
  type CleanModeOption,
  cleanModesFor,
  currentCleanModeOf,
  FAULT_ERROR_IDS,
  FAULT_RUN_MODE_STATUS,
  OPERATIONAL_STATES,
  operationalStatusOf,
  powerSourceOf,
  RUN_MODE,
  runModeOf,
  runModesFor,
} from "./state-mapping.ts";
import type { KnownAreas } from "./worker-messages.ts";

const ModeStatus = ModeBase.ModeChangeStatus;
const ErrorState = RvcOperationalState.ErrorState;

export interface RobotEndpointOptions {
  robotId: string;
  hub: MatterHubLink;
  /** The robot's recorded floors and rooms when the endpoint is built. */
  known: KnownAreas;
  log: Logger;
  /** Behind a bridge (aggregator) rather than the root of its own node. */
  bridged: boolean;
}

/** Endpoint ids are storage keys in matter.js and may not contain dots. */
export const endpointIdFor = (robotId: string): string => `robot-${robotId.replace(/\./g, "_")}`;

const statusText = (e: HubError) => e.message.slice(0, 64);

export class RobotEndpoint implements RvcCommandHandler {
  readonly endpoint: Endpoint;
  readonly robotId: string;
  readonly #opts: RobotEndpointOptions;
  #view: RobotView;
  #cleanModes: CleanModeOption[];
  #areas: AreaModel;
  #finalProgress: AreaProgress | null = null;
  #pending = false;
  #running: Promise<void> | null = null;
  #closed = false;

  constructor(view: RobotView, options: RobotEndpointOptions) {
    this.#opts = options;
    this.robotId = options.robotId;
    this.#view = view;
    this.#cleanModes = cleanModesFor(view.capabilities);
    const known = options.known;
    this.#areas = buildAreaModel(known.areas, known.maps);
    const type = options.bridged ? BridgedRobotVacuum : RobotVacuum;
    this.endpoint = new Endpoint(type, { id: endpointIdFor(view.id), ...this.#initialState() });
    attachHandler(this.endpoint, this);
  }

  #initialState() {
    const view = this.#view;
    const power = powerSourceOf(view.state);
    return {
      rvcRunMode: { supportedModes: runModesFor(view.capabilities), currentMode: runModeOf(view.state) },
      rvcCleanMode: {
        supportedModes: this.#cleanModes.map(({ label, mode, modeTags }) => ({ label, mode, modeTags })),
        currentMode: currentCleanModeOf(this.#cleanModes, view.state),
      },
      rvcOperationalState: {
        operationalStateList: OPERATIONAL_STATES,
        phaseList: null,
        currentPhase: null,
        ...operationalStatusOf(view.state, view.connection === "online"),
      },
      serviceArea: {
        supportedMaps: this.#areas.supportedMaps,
        supportedAreas: this.#areas.supportedAreas,
        selectedAreas: [],
        ...areaProgressOf(view.state, this.#areas),
      },
      powerSource: {
        description: "Battery",
        order: 0,
        batReplaceability: 1, // NotReplaceable by the user in the sense Matter means (no AA cells)
        batReplacementNeeded: false,
        batPresent: true,
        batFunctionalWhileCharging: true,
        ...(power ?? { batPercentRemaining: null }),
      },
      ...(this.#opts.bridged ? { bridgedDeviceBasicInformation: this.bridgedInfo() } : {}),
    };
  }

  /** BridgedDeviceBasicInformation (bridge mode); standalone nodes carry the same in BasicInformation. */
  bridgedInfo() {
    const v = this.#view;
    return {
      vendorName: clip(v.manufacturer || "Sweep"),
      productName: clip(v.model || "Robot vacuum"),
      nodeLabel: clip(v.name),
      serialNumber: clip(v.serial || v.id),
      softwareVersionString: clip(v.firmware || "unknown"),
      uniqueId: uniqueIdFor(v.id),
      reachable: v.connection === "online",
    };
  }

  /** What the last successful write sent, to skip writes that would change nothing. */
  #lastWritten: string | null = null;

  /** Called on every robotUpdated: only the latest view is written, one write at a time. */
  update(view: RobotView): void {
    const floorChanged = view.state?.floor !== this.#view.state?.floor;
    const capsChanged = JSON.stringify(view.capabilities) !== JSON.stringify(this.#view.capabilities);
    const cameOnline = view.connection === "online" && this.#view.connection !== "online";
    if (view.state?.job && !this.#view.state?.job) this.#finalProgress = null;
    this.#view = view;
    if (capsChanged) this.#cleanModes = cleanModesFor(view.capabilities);
    if (floorChanged || cameOnline) void this.refreshRooms();
    this.#schedule();
  }

  /** The robot finished a job: OperationCompletion (§7.4.7.2) and the final per-area progress. */
  async jobFinished(f: CleaningFinished): Promise<void> {
    if (f.kind === "rooms") {
      this.#finalProgress = areaProgressOf(this.#view.state, this.#areas, {
        job: { rooms: f.rooms.map((r) => r.id) },
        result: f.result,
      });
      this.#schedule();
    }
    await this.#guard("completion event", async () =>
      this.endpoint.act((agent) =>
        agent.get(RobotOperationalStateServer).events.operationCompletion.emit(
          {
            completionErrorCode:
              f.result === "error"
                ? (this.#faultErrorId() ?? ErrorState.UnableToCompleteOperation)
                : ErrorState.NoError,
            totalOperationalTime: Math.round(f.durationS),
            pausedTime: null,
          },
          agent.context,
        ),
      ),
    );
  }

  /** Re-reads the robot's rooms (current floor) and publishes every known floor's areas. */
  async refreshRooms(): Promise<void> {
    const view = this.#view;
    if (view.connection !== "online" || !Object.hasOwn(view.capabilities, "room_cleaning")) return;
    try {
      const known = await this.#opts.hub.rooms(this.robotId);
      this.#areas = buildAreaModel(known.areas, known.maps);
      this.#schedule();
    } catch (err) {
      this.#opts.log.warn({ err: errMessage(err) }, "could not read the robot's rooms");
    }
  }

  close(): void {
    this.#closed = true;
  }

  // ---- pushing state ------------------------------------------------------------------------------------

  #schedule(): void {
    this.#pending = true;
    this.#running ??= this.#drain().finally(() => {
      this.#running = null;
    });
  }

  /** Resolves when every scheduled write has landed (tests and shutdown). */
  async settled(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #drain(): Promise<void> {
    while (this.#pending && !this.#closed) {
      this.#pending = false;
      await this.#guard("state update", () => this.#write());
    }
  }

  async #write(): Promise<void> {
    const view = this.#view;
    const areas = this.#areas;
    const selectable = new Set(areas.supportedAreas.map((a) => a.areaId));
    const live = areaProgressOf(view.state, areas);
    const progress = (view.state?.job ? live.progress : (this.#finalProgress?.progress ?? [])).filter((p) =>
      selectable.has(p.areaId),
    );
    const power = powerSourceOf(view.state);
    const attributes = {
      rvcRunMode: { supportedModes: runModesFor(view.capabilities), currentMode: runModeOf(view.state) },
      rvcCleanMode: {
        supportedModes: this.#cleanModes.map(({ label, mode, modeTags }) => ({ label, mode, modeTags })),
        currentMode: currentCleanModeOf(this.#cleanModes, view.state),
      },
      rvcOperationalState: operationalStatusOf(view.state, view.connection === "online"),
      ...(power ? { powerSource: power } : {}),
      ...(this.#opts.bridged
        ? { bridgedDeviceBasicInformation: { reachable: view.connection === "online" } }
        : {}),
    };
    // Most robot updates are position reports that change nothing Matter shows; a matter.js transaction per
    // report cost a third of the hub's CPU while cleaning (docs/benchmarks.md), so unchanged values are skipped.
    const key = JSON.stringify([attributes, areas, live.currentArea, progress]);
    if (key === this.#lastWritten) return;
    await this.endpoint.set(attributes as never);
    await this.#writeAreas(areas, live.currentArea, progress);
    this.#lastWritten = key;
  }

  /** Lists change before selections that refer to them, so the cluster's own checks never see a dangling id. */
  async #writeAreas(areas: AreaModel, currentArea: number | null, progress: AreaProgress["progress"]) {
    await this.endpoint.act((agent) => {
      const sa = agent.get(RobotServiceAreaServer).state as unknown as ServiceAreaState;
      const ids = new Set(areas.supportedAreas.map((a) => a.areaId));
      const selected = sa.selectedAreas.filter((id) => ids.has(id));
      if (selected.length !== sa.selectedAreas.length) sa.selectedAreas = selected;
      sa.progress = progress;
      sa.currentArea = currentArea !== null && ids.has(currentArea) ? currentArea : null;
      if (JSON.stringify(sa.supportedMaps) !== JSON.stringify(areas.supportedMaps)) {
        // Areas must name a map exactly when maps exist: clear the areas first, then switch maps, then refill.
        sa.supportedAreas = [];
        sa.supportedMaps = areas.supportedMaps;
      }
      if (JSON.stringify(sa.supportedAreas) !== JSON.stringify(areas.supportedAreas))
        sa.supportedAreas = areas.supportedAreas;
    });
  }

  async #guard(what: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      if (!this.#closed)
        this.#opts.log.warn({ err: errMessage(err), robotId: this.robotId }, `Matter ${what} failed`);
    }
  }

  // ---- commands from Matter -------------------------------------------------------------------------------

  async #command(name: string, args: unknown = {}): Promise<RobotView> {
    // A Matter command may change attributes inside its own transaction (mode, selection); whatever the robot
    // answers, the next write must restate everything rather than trust the memo.
    this.#lastWritten = null;
    try {
      return await this.#opts.hub.command(this.robotId, name, args);
    } finally {
      this.#schedule();
    }
  }

  #faultErrorId(): number | null {
    const code = this.#view.state?.error?.code;
    return code ? FAULT_ERROR_IDS[code as RobotFaultCode] : null;
  }

  async changeRunMode(
    newMode: number,
    selectedAreas: readonly number[],
  ): Promise<ModeBase.ChangeToModeResponse> {
    if (!runModesFor(this.#view.capabilities).some((m) => m.mode === newMode))
      return { status: ModeStatus.UnsupportedMode, statusText: "Unsupported mode" };
    const current = runModeOf(this.#view.state);
    if (newMode === current) return { status: ModeStatus.Success, statusText: "" };
    // Without the DirectModeChange feature, one non-Idle mode cannot change into another (RVC Run Mode, ChangeToMode):
    // the robot finishes, or is set to Idle, first.
    if (current !== RUN_MODE.idle && newMode !== RUN_MODE.idle)
      return {
        status: ModeStatus.InvalidInMode,
        statusText: current === RUN_MODE.mapping ? "The robot is mapping" : "The robot is cleaning",
      };
    try {
      if (newMode === RUN_MODE.mapping) await this.#command("map_explore");
      else if (newMode === RUN_MODE.cleaning) {
        const rooms = this.#roomsFor(selectedAreas);
        if (rooms.length > 0) await this.#command("clean_rooms", { rooms: rooms.map((id) => ({ id })) });
        else await this.#command("start");
      } else {
        // Idle ends the job. Robots go home rather than stay where they stopped (what users expect from "stop" in
        // Apple Home or Google Home); where the dock cannot be reached (another floor) the robot just stops.
        try {
          await this.#command("dock");
        } catch (err) {
          if (!(err instanceof HubError) || err.code !== "robot_busy") throw err;
          await this.#command("stop");
        }
      }
      return { status: ModeStatus.Success, statusText: "" };
    } catch (err) {
      const e = asHubError(err);
      const fault = this.#view.state?.error?.code;
      if (e.code === "robot_fault" && fault)
        return {
          status: FAULT_RUN_MODE_STATUS[fault as RobotFaultCode] ?? ModeStatus.GenericFailure,
          statusText: statusText(e),
        };
      if (e.code === "robot_busy") return { status: ModeStatus.InvalidInMode, statusText: statusText(e) };
      return { status: ModeStatus.GenericFailure, statusText: statusText(e) };
    }
  }

  async changeCleanMode(newMode: number): Promise<ModeBase.ChangeToModeResponse> {
    const option = this.#cleanModes.find((m) => m.mode === newMode);
    if (!option) return { status: ModeStatus.UnsupportedMode, statusText: "Unsupported mode" };
    try {
      const { mode, fanSpeed, waterLevel } = option.settings;
      if (mode && mode !== this.#view.state?.mode) await this.#command("set_mode", { mode });
      if (fanSpeed) await this.#command("set_fan_speed", { fanSpeed });
      if (waterLevel) await this.#command("set_water_level", { waterLevel });
      return { status: ModeStatus.Success, statusText: "" };
    } catch (err) {
      const e = asHubError(err);
      return {
        status: e.code === "robot_busy" ? ModeStatus.InvalidInMode : ModeStatus.GenericFailure,
        statusText: statusText(e),
      };
    }
  }

  pause() {
    return this.#operational("pause", ErrorState.UnableToCompleteOperation);
  }

  resume() {
    return this.#operational("resume", ErrorState.UnableToStartOrResume);
  }

  goHome() {
    // §7.4.5.1: already on its way home is a success with no other effect.
    if (this.#view.state?.status === "returning")
      return Promise.resolve({ commandResponseState: { errorStateId: ErrorState.NoError } });
    return this.#operational("dock", ErrorState.UnableToCompleteOperation);
  }

  async #operational(
    name: string,
    fallback: number,
  ): Promise<RvcOperationalState.OperationalCommandResponse> {
    try {
      await this.#command(name);
      return { commandResponseState: { errorStateId: ErrorState.NoError } };
    } catch (err) {
      const e = asHubError(err);
      const errorStateId =
        e.code === "robot_busy"
          ? ErrorState.CommandInvalidInState
          : e.code === "robot_fault"
            ? (this.#faultErrorId() ?? fallback)
            : fallback;
      return { commandResponseState: { errorStateId, errorStateDetails: statusText(e) } };
    }
  }

  checkAreas(newAreas: readonly number[]): ServiceArea.SelectAreasResponse {
    const floors = new Set(newAreas.map((id) => this.#areas.rooms.get(id)?.floor));
    if (floors.size > 1)
      return { status: ServiceArea.SelectAreasStatus.InvalidSet, statusText: "Choose rooms on one floor" };
    const [floor] = floors;
    const here = this.#view.state?.floor;
    if (floor !== undefined && here !== undefined && floor !== here) {
      return {
        status: ServiceArea.SelectAreasStatus.InvalidInMode,
        statusText: `The robot is on floor ${here}; carry it to ${floor} first`.slice(0, 64),
      };
    }
    if (newAreas.length > 0 && this.#view.state?.job) {
      // Without the SelectWhileRunning feature a selection cannot change a running job (§1.17.7.1).
      return { status: ServiceArea.SelectAreasStatus.InvalidInMode, statusText: "The robot is cleaning" };
    }
    return { status: ServiceArea.SelectAreasStatus.Success, statusText: "" };
  }

  #roomsFor(areaIds: readonly number[]): string[] {
    return areaIds.map((id) => this.#areas.rooms.get(id)?.roomId).filter((r): r is string => r !== undefined);
  }

  async identify(): Promise<void> {
    if (!Object.hasOwn(this.#view.capabilities, "locate")) return;
    try {
      await this.#command("locate");
    } catch (err) {
      // Identify has no error response beyond the command status; the hub log says why nothing was heard.
      this.#opts.log.info({ err: errMessage(err), robotId: this.robotId }, "identify: locate failed");
    }
  }
}

interface ServiceAreaState {
  supportedMaps: unknown[];
  supportedAreas: unknown[];
  selectedAreas: number[];
  currentArea: number | null;
  progress: unknown[];
}

const asHubError = (err: unknown): HubError => (err instanceof HubError ? err : new HubError("internal"));
const errMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Matter strings in BasicInformation are at most 32 characters (§11.1.6). */
function clip(s: string): string {
  return s.length <= 32 ? s : s.slice(0, 32);
}

/** UniqueID must not equal the serial number (§11.1.6.3) and must stay the same for the robot's life. */
export function uniqueIdFor(robotId: string): string {
  return `sweephub-${robotId}`.slice(0, 32);
}
