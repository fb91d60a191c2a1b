import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RvcOperationalState } from "@matter/main/clusters/rvc-operational-state";
import { RvcRunMode } from "@matter/main/clusters/rvc-run-mode";
import { ServiceArea } from "@matter/main/clusters/service-area";
import { areaProgressOf, areaTypeFor, buildAreaModel } from "../../../hub/matter/area-mapping.ts";
import {
  cleanModesFor,
  currentCleanModeOf,
  operationalStatusOf,
  powerSourceOf,
  runModeOf,
  runModesFor,
} from "../../../hub/matter/state-mapping.ts";
import type { RobotState } from "../../../integrations/sweep/protocol/robot-state.ts";

const Op = RvcOperationalState.OperationalState;
const state = (over: Partial<RobotState> = {}): RobotState => ({
  status: "docked",
  battery: 100,
  charging: false,
  docked: true,
  fanSpeed: "standard",
  waterLevel: "medium",
  mode: "vacuum",
  pose: { x: 0, y: 0, angle: 0 },
  floor: "ground",
  currentRoom: null,
  error: null,
  job: null,
  ...over,
});
const job = (rooms: string[], cleaned: string[] = []) => ({
  id: "j1",
  kind: "rooms" as const,
  rooms,
  zones: [],
  target: null,
  startedAt: 0,
  areaCleanedM2: 0,
  cleanedByRoom: cleaned.map((id) => ({ id, areaM2: 3 })),
  resumeAfterCharge: false,
});

describe("Matter state mapping", () => {
  it("maps robot statuses and faults to RVC operational states and the spec's error ids", () => {
    assert.equal(operationalStatusOf(state({ status: "cleaning" }), true).operationalState, Op.Running);
    assert.equal(
      operationalStatusOf(state({ status: "returning" }), true).operationalState,
      Op.SeekingCharger,
    );
    assert.equal(
      operationalStatusOf(state({ status: "docked", charging: true }), true).operationalState,
      Op.Charging,
    );
    assert.equal(
      operationalStatusOf(state({ status: "idle", docked: false }), true).operationalState,
      Op.Stopped,
    );
    const jam = operationalStatusOf(
      state({ status: "error", error: { code: "brush_jammed", message: "Clear the brush" } }),
      true,
    );
    assert.equal(jam.operationalState, Op.Error);
    assert.equal(jam.operationalError.errorStateId, RvcOperationalState.ErrorState.BrushJammed);
    assert.equal(
      operationalStatusOf(state({ status: "error", error: { code: "bin_full", message: "" } }), true)
        .operationalError.errorStateId,
      RvcOperationalState.ErrorState.DustBinFull,
    );
    assert.equal(operationalStatusOf(state(), false).operationalState, Op.Error, "offline robot");
  });

  it("is in the Cleaning run mode for as long as it has a job, paused included", () => {
    assert.equal(runModeOf(state()), 0);
    assert.equal(runModeOf(state({ status: "paused", job: job(["a"]) })), 1);
  });

  it("offers Mapping only to robots with a mapping pass, and is in it while one runs", () => {
    const tags = (caps: Parameters<typeof runModesFor>[0]) =>
      runModesFor(caps).map((m) => [m.mode, m.label, m.modeTags.map((t) => t.value)]);
    assert.deepEqual(tags({ basic_control: {} }), [
      [0, "Idle", [RvcRunMode.ModeTag.Idle]],
      [1, "Cleaning", [RvcRunMode.ModeTag.Cleaning]],
    ]);
    assert.deepEqual(tags({ basic_control: {}, mapping_pass: {} }).at(-1), [
      2,
      "Mapping",
      [RvcRunMode.ModeTag.Mapping],
    ]);
    const mapping = { ...job([]), kind: "mapping" as const };
    assert.equal(runModeOf(state({ status: "moving", job: mapping })), 2);
    assert.equal(runModeOf(state({ status: "paused", job: mapping })), 2);
    assert.equal(runModeOf(state({ status: "moving", job: { ...job([]), kind: "goto" as const } })), 0);
  });

  it("offers clean modes from capabilities and finds the current one", () => {
    const modes = cleanModesFor({
      clean_mode: { modes: ["vacuum", "mop"] },
      fan_speed: { presets: ["off", "quiet", "max"] },
      water_level: { presets: ["off", "low", "high"] },
    });
    assert.deepEqual(
      modes.map((m) => m.label),
      ["Vacuum, quiet", "Vacuum, max", "Mop, low", "Mop, high"],
    );
    assert.equal(currentCleanModeOf(modes, state({ mode: "mop", waterLevel: "high" })), 3);
    assert.deepEqual(
      cleanModesFor({}).map((m) => m.label),
      ["Vacuum"],
    );
  });

  it("reports battery in half percent with charge level and state", () => {
    assert.deepEqual(powerSourceOf(state({ battery: 15, docked: false }))?.batPercentRemaining, 30);
    assert.equal(powerSourceOf(state({ battery: 15 }))?.batChargeLevel, 1);
    assert.equal(powerSourceOf(state({ battery: 100 }))?.batChargeState, 2);
    assert.equal(powerSourceOf(null), null);
  });
});

describe("Matter area mapping", () => {
  const rooms = [
    { floor: "ground", roomId: "kitchen", name: "Kitchen", areaId: 1 },
    { floor: "ground", roomId: "hall", name: "Hall", areaId: 2 },
    { floor: "up", roomId: "bed", name: "Master bedroom", areaId: 3 },
  ];

  it("uses no maps for one floor and one map per floor for several", () => {
    const one = buildAreaModel(rooms.slice(0, 2), [{ floor: "ground", mapId: 1 }]);
    assert.deepEqual(one.supportedMaps, []);
    assert.ok(one.supportedAreas.every((a) => a.mapId === null));
    const two = buildAreaModel(rooms, [
      { floor: "ground", mapId: 1 },
      { floor: "up", mapId: 2 },
    ]);
    assert.deepEqual(
      two.supportedAreas.map((a) => a.mapId),
      [1, 1, 2],
    );
  });

  it("names room types where the name says it", () => {
    assert.notEqual(areaTypeFor("Kitchen"), null);
    assert.equal(areaTypeFor("Master bedroom"), areaTypeFor("Bedroom"));
    assert.equal(areaTypeFor("Zzz"), null);
  });

  it("reports the current area and per-area progress of a rooms job", () => {
    const model = buildAreaModel(rooms.slice(0, 2), [{ floor: "ground", mapId: 1 }]);
    const p = areaProgressOf(
      state({ status: "cleaning", currentRoom: "hall", job: job(["kitchen", "hall"], ["kitchen"]) }),
      model,
    );
    assert.equal(p.currentArea, 2);
    assert.deepEqual(p.progress, [
      { areaId: 1, status: ServiceArea.OperationalStatus.Completed },
      { areaId: 2, status: ServiceArea.OperationalStatus.Operating },
    ]);
    const stopped = areaProgressOf(state(), model, {
      job: { rooms: ["kitchen", "hall"] },
      result: "stopped",
    });
    assert.ok(stopped.progress.every((x) => x.status === ServiceArea.OperationalStatus.Skipped));
  });
});
