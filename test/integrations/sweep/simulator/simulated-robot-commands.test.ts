import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Compile } from "typebox/compile";
import { CAPABILITIES, CapabilitiesSchema } from "../../../../integrations/sweep/protocol/methods.ts";
import {
  FAULT_MESSAGES,
  RobotInfoSchema,
  RoomSchema,
} from "../../../../integrations/sweep/protocol/robot-state.ts";
import { SimulatedRobot } from "../../../../integrations/sweep/simulator/simulated-robot.ts";
import { checkedState, createRobot, expectProtocolError, isHome, MINUTE, START_TIME } from "./helpers.ts";

describe("SimulatedRobot: identity and initial state", () => {
  it("describes itself with valid info and every capability", () => {
    const { robot } = createRobot("apartment");
    const info = robot.info();
    assert.ok(Compile(RobotInfoSchema).Check(info));
    assert.equal(info.manufacturer, "sweephub simulator");
    assert.equal(info.model, "SweepSim S1");
    const caps = robot.capabilities();
    assert.ok(Compile(CapabilitiesSchema).Check(caps));
    assert.deepEqual(Object.keys(caps).sort(), [...CAPABILITIES].sort());
    assert.deepEqual(caps.fan_speed?.presets, ["off", "quiet", "standard", "strong", "max"]);
    assert.deepEqual(caps.water_level?.presets, ["off", "low", "medium", "high"]);
    assert.deepEqual(caps.clean_mode?.modes, ["vacuum", "mop", "vacuum_and_mop"]);
    const custom = new SimulatedRobot({
      id: "x",
      name: "X",
      plan: "loft",
      now: Date.now,
      model: "M",
      firmware: "2.0",
    });
    assert.equal(custom.info().model, "M");
    assert.equal(custom.info().firmware, "2.0");
  });

  it("starts docked and fully charged on the dock floor", () => {
    const { robot } = createRobot("house");
    const s = checkedState(robot);
    assert.equal(s.status, "docked");
    assert.equal(s.docked, true);
    assert.equal(s.charging, false);
    assert.equal(s.battery, 100);
    assert.equal(s.floor, "ground");
    assert.equal(s.currentRoom, "hall");
    assert.equal(s.job, null);
    assert.equal(s.error, null);
  });

  it("returns fresh copies from state()", () => {
    const { robot } = createRobot("apartment");
    const a = robot.state();
    a.pose.x = -1;
    a.status = "error";
    assert.notEqual(robot.state().pose.x, -1);
    assert.equal(robot.state().status, "docked");
  });

  it("lists the current floor's rooms only", () => {
    const { robot } = createRobot("house");
    assert.deepEqual(robot.floors(), ["ground", "upstairs"]);
    const ground = robot.rooms();
    assert.equal(ground.floor, "ground");
    for (const room of ground.rooms) assert.ok(Compile(RoomSchema).Check(room));
    const ids = ground.rooms.map((r) => r.id);
    assert.ok(ids.includes("kitchen") && !ids.includes("master_bedroom"));
    robot.setFloor("upstairs");
    const up = robot.rooms();
    assert.equal(up.floor, "upstairs");
    assert.ok(up.rooms.some((r) => r.id === "master_bedroom"));
    assert.ok(!up.rooms.some((r) => r.id === "kitchen"));
    assert.ok(up.rooms.every((r) => r.floor === "upstairs"));
  });

  it("can start on a floor without a dock", () => {
    const { robot } = createRobot("house", { startFloor: "upstairs" });
    const s = checkedState(robot);
    assert.equal(s.floor, "upstairs");
    assert.equal(s.status, "idle");
    assert.equal(s.docked, false);
    assert.throws(
      () => new SimulatedRobot({ id: "x", name: "X", plan: "house", now: Date.now, startFloor: "attic" }),
    );
  });
});

describe("SimulatedRobot: basic control", () => {
  it("start -> cleaning, pause -> paused, resume -> cleaning, stop -> idle where it is", () => {
    const t = createRobot("apartment");
    t.robot.start();
    let s = checkedState(t.robot);
    assert.equal(s.status, "cleaning");
    assert.equal(s.docked, false);
    assert.equal(s.job?.kind, "full");
    assert.equal(s.job?.startedAt, START_TIME);
    assert.equal(t.named("event.cleaning_started").length, 1);
    t.tick(MINUTE);
    t.robot.pause();
    s = checkedState(t.robot);
    assert.equal(s.status, "paused");
    const pausedPose = s.pose;
    t.tick(MINUTE);
    assert.deepEqual(checkedState(t.robot).pose, pausedPose, "a paused robot does not move");
    t.robot.resume();
    assert.equal(checkedState(t.robot).status, "cleaning");
    t.tick(MINUTE);
    const before = checkedState(t.robot);
    t.robot.stop();
    s = checkedState(t.robot);
    assert.equal(s.status, "idle");
    assert.equal(s.job, null);
    assert.deepEqual(s.pose, before.pose);
    const finished = t.named("event.cleaning_finished");
    assert.equal(finished.length, 1);
    assert.deepEqual((finished[0].payload as { result: string }).result, "stopped");
    t.tick(MINUTE);
    assert.deepEqual(checkedState(t.robot).pose, before.pose, "a stopped robot stays");
  });

  it("refuses commands that do not fit the state with invalid_state", () => {
    const t = createRobot("apartment");
    expectProtocolError(() => t.robot.pause(), "invalid_state", /docked/);
    expectProtocolError(() => t.robot.resume(), "invalid_state");
    expectProtocolError(() => t.robot.stop(), "invalid_state");
    expectProtocolError(() => t.robot.clearFault(), "invalid_state");
    t.robot.start();
    expectProtocolError(() => t.robot.start(), "invalid_state", /busy/);
    expectProtocolError(() => t.robot.cleanRooms([{ id: "kitchen" }]), "invalid_state");
    expectProtocolError(() => t.robot.goTo(3000, 2000), "invalid_state");
    expectProtocolError(() => t.robot.resume(), "invalid_state", /cleaning/);
    expectProtocolError(() => t.robot.setFloor("main"), "invalid_state");
    t.robot.pause();
    expectProtocolError(() => t.robot.pause(), "invalid_state", /paused/);
  });

  it("replaces a paused job with a new one", () => {
    const t = createRobot("apartment");
    t.robot.start();
    t.tick(MINUTE);
    t.robot.pause();
    const first = checkedState(t.robot).job!.id;
    t.robot.cleanRooms([{ id: "kitchen" }]);
    const s = checkedState(t.robot);
    assert.equal(s.status, "cleaning");
    assert.notEqual(s.job!.id, first);
    const finished = t
      .named("event.cleaning_finished")
      .map((e) => e.payload as { jobId: string; result: string });
    assert.deepEqual(finished, [{ ...finished[0], jobId: first, result: "stopped" }]);
  });

  it("returnToDock during a job ends it as stopped and drives home", () => {
    const t = createRobot("apartment");
    t.robot.start();
    t.tick(3 * MINUTE);
    t.robot.returnToDock();
    const s = checkedState(t.robot);
    assert.equal(s.status, "returning");
    assert.equal(s.job, null);
    assert.equal((t.named("event.cleaning_finished")[0].payload as { result: string }).result, "stopped");
    t.runUntil(isHome, 10 * MINUTE);
    const home = checkedState(t.robot);
    assert.equal(home.docked, true);
    assert.deepEqual({ x: home.pose.x, y: home.pose.y }, { x: 3000, y: 250 });
    t.robot.returnToDock(); // already home: nothing to do
    assert.ok(isHome(checkedState(t.robot)));
  });

  it("stop while returning halts the robot", () => {
    const t = createRobot("apartment");
    t.robot.goTo(3000, 2500);
    t.runUntil((s) => s.status === "idle", 5 * MINUTE);
    t.robot.returnToDock();
    t.tick(2_000);
    t.robot.stop();
    assert.equal(checkedState(t.robot).status, "idle");
    assert.equal(checkedState(t.robot).docked, false);
  });

  it("refuses to go home from a floor without a dock", () => {
    const t = createRobot("house");
    t.robot.setFloor("upstairs");
    const error = expectProtocolError(
      () => t.robot.returnToDock(),
      "invalid_state",
      /no dock on floor "upstairs"/,
    );
    assert.equal(error.details?.dockFloor, "ground");
  });

  it("locates", () => {
    const t = createRobot("loft");
    t.robot.locate();
    assert.equal(t.named("event.located").length, 1);
  });
});

describe("SimulatedRobot: faults", () => {
  it("stops on a fault, keeps the job paused, refuses movement with robot_fault, resumes after clearing", () => {
    const t = createRobot("apartment");
    t.robot.start();
    t.tick(2 * MINUTE);
    t.robot.injectFault("brush_jammed");
    let s = checkedState(t.robot);
    assert.equal(s.status, "error");
    assert.deepEqual(s.error, { code: "brush_jammed", message: FAULT_MESSAGES.brush_jammed });
    assert.ok(s.job);
    assert.deepEqual(
      t.named("event.error").map((e) => e.payload),
      [s.error],
    );
    const pose = s.pose;
    t.tick(MINUTE);
    assert.deepEqual(checkedState(t.robot).pose, pose);
    for (const command of [
      () => t.robot.resume(),
      () => t.robot.start(),
      () => t.robot.returnToDock(),
      () => t.robot.goTo(3000, 2000),
      () => t.robot.cleanRooms([{ id: "kitchen" }]),
      () => t.robot.cleanZones([{ x1: 1000, y1: 1000, x2: 2000, y2: 2000 }]),
    ]) {
      const error = expectProtocolError(command, "robot_fault");
      assert.equal(error.details?.fault, "brush_jammed");
    }
    t.robot.setSettings({ fanSpeed: "max" }); // settings still work
    t.robot.locate();
    t.robot.clearFault();
    s = checkedState(t.robot);
    assert.equal(s.status, "paused");
    assert.equal(s.error, null);
    t.robot.resume();
    assert.equal(checkedState(t.robot).status, "cleaning");
  });

  it("clears to idle without a job and rejects unknown faults", () => {
    const t = createRobot("apartment");
    t.robot.goTo(3000, 2500);
    t.runUntil((s) => s.status === "idle", 5 * MINUTE);
    t.robot.injectFault("stuck");
    assert.equal(checkedState(t.robot).status, "error");
    t.robot.clearFault();
    assert.equal(checkedState(t.robot).status, "idle");
    expectProtocolError(() => t.robot.injectFault("gremlins"), "invalid_payload");
  });
});

describe("SimulatedRobot: settings", () => {
  it("changes fan, water and mode, and emits state", () => {
    const t = createRobot("apartment");
    t.robot.setSettings({ fanSpeed: "max" });
    assert.equal(checkedState(t.robot).fanSpeed, "max");
    assert.equal((t.named("event.state").at(-1)!.payload as { fanSpeed: string }).fanSpeed, "max");
    t.robot.setSettings({ mode: "vacuum_and_mop", waterLevel: "high" });
    const s = checkedState(t.robot);
    assert.equal(s.mode, "vacuum_and_mop");
    assert.equal(s.waterLevel, "high");
  });

  it("turns water on when switching to a mopping mode, and the fan back on when leaving mop mode", () => {
    const t = createRobot("apartment");
    assert.equal(checkedState(t.robot).waterLevel, "off");
    t.robot.setSettings({ mode: "mop" });
    assert.equal(checkedState(t.robot).waterLevel, "medium");
    t.robot.setSettings({ fanSpeed: "off" });
    assert.equal(checkedState(t.robot).fanSpeed, "off");
    t.robot.setSettings({ mode: "vacuum" });
    assert.equal(checkedState(t.robot).fanSpeed, "standard");
  });

  it("refuses impossible combinations and unknown values with invalid_payload", () => {
    const t = createRobot("apartment");
    expectProtocolError(
      () => t.robot.setSettings({ fanSpeed: "off" }),
      "invalid_payload",
      /only possible in mode "mop"/,
    );
    t.robot.setSettings({ mode: "mop" });
    expectProtocolError(
      () => t.robot.setSettings({ waterLevel: "off" }),
      "invalid_payload",
      /not possible while mopping/,
    );
    expectProtocolError(
      () => t.robot.setSettings({ fanSpeed: "turbo" }),
      "invalid_payload",
      /Unknown fanSpeed/,
    );
    expectProtocolError(() => t.robot.setSettings({}), "invalid_payload");
    assert.equal(checkedState(t.robot).mode, "mop", "a refused change changes nothing");
  });
});

describe("SimulatedRobot: floors", () => {
  it("carries the robot between floors only when it is not moving", () => {
    const t = createRobot("house");
    t.robot.setFloor("upstairs");
    let s = checkedState(t.robot);
    assert.equal(s.floor, "upstairs");
    assert.equal(s.status, "idle");
    assert.equal(s.currentRoom, "landing");
    t.robot.cleanRooms([{ id: "office" }]);
    expectProtocolError(() => t.robot.setFloor("ground"), "invalid_state");
    t.robot.pause();
    t.robot.setFloor("ground");
    s = checkedState(t.robot);
    assert.equal(s.floor, "ground");
    assert.equal(s.job, null, "carrying the robot ends its job");
    assert.equal(s.docked, true, "put back on the dock");
    assert.equal((t.named("event.cleaning_finished")[0].payload as { result: string }).result, "stopped");
    expectProtocolError(() => t.robot.setFloor("attic"), "invalid_payload");
    expectProtocolError(
      () => t.robot.cleanRooms([{ id: "office" }]),
      "invalid_payload",
      /Unknown room "office"/,
    );
  });

  it("cleans a floor without a dock and waits there afterwards", () => {
    const t = createRobot("house");
    t.robot.setFloor("upstairs");
    t.robot.cleanRooms([{ id: "bathroom" }]);
    t.runUntil((s) => s.job === null, 30 * MINUTE);
    const s = checkedState(t.robot);
    assert.equal(s.status, "idle");
    assert.equal(s.floor, "upstairs");
    assert.equal((t.named("event.cleaning_finished")[0].payload as { result: string }).result, "completed");
  });
});
