import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CleaningFinished, EventPayload } from "../../../../integrations/sweep/protocol/methods.ts";
import type { Consumable, RobotState } from "../../../../integrations/sweep/protocol/robot-state.ts";
import { checkedState, createRobot, expectProtocolError, HOUR, isHome, MINUTE } from "./helpers.ts";

const finishedEvents = (events: { name: string; payload: unknown }[]) =>
  events.filter((e) => e.name === "event.cleaning_finished").map((e) => e.payload as CleaningFinished);

describe("SimulatedRobot: battery", () => {
  it("drains faster at higher fan speeds and a little when idle off the dock", () => {
    const drainAt = (fanSpeed: "quiet" | "standard" | "max") => {
      const t = createRobot("loft");
      t.robot.setSettings({ fanSpeed });
      t.robot.start();
      t.tick(10 * MINUTE, 1_000);
      return 100 - checkedState(t.robot).battery;
    };
    const [quiet, standard, max] = [drainAt("quiet"), drainAt("standard"), drainAt("max")];
    assert.ok(quiet < standard && standard < max, `${quiet} < ${standard} < ${max}`);
    assert.ok(standard >= 5 && standard <= 7, `standard drains about 0.6 %/min (${standard} in 10 min)`);

    const t = createRobot("apartment");
    t.robot.goTo(3000, 2500);
    t.runUntil((s) => s.status === "idle", 5 * MINUTE);
    const before = t.robot.state().battery;
    t.tick(2 * HOUR, 5_000);
    const drop = before - checkedState(t.robot).battery;
    assert.ok(drop >= 5 && drop <= 7, `idle drain ${drop} in 2 h`);
  });

  it("charges about 2 %/min on the dock: charging until full, then docked", () => {
    const t = createRobot("apartment");
    t.robot.setBattery(50);
    assert.equal(checkedState(t.robot).status, "charging");
    assert.equal(checkedState(t.robot).charging, true);
    t.tick(10 * MINUTE, 1_000);
    assert.equal(checkedState(t.robot).battery, 70);
    t.runUntil((s) => s.status === "docked", 30 * MINUTE, 1_000);
    assert.equal(checkedState(t.robot).battery, 100);
    const battery = t.named("event.battery").map((e) => (e.payload as EventPayload<"event.battery">).battery);
    assert.deepEqual(battery.slice(0, 3), [50, 51, 52], "one event per whole percent");
    assert.equal(battery.at(-1), 100);
  });

  it("refuses to start below 20 % off the dock; on the dock it charges first and then starts", () => {
    const t = createRobot("apartment");
    t.robot.goTo(3000, 2500);
    t.runUntil((s) => s.status === "idle", 5 * MINUTE);
    t.robot.setBattery(19);
    expectProtocolError(() => t.robot.start(), "invalid_state", /battery is too low/);
    expectProtocolError(() => t.robot.goTo(3000, 1500), "invalid_state", /battery/);

    const d = createRobot("apartment");
    d.robot.setBattery(10);
    d.robot.cleanRooms([{ id: "kitchen" }]);
    let s = checkedState(d.robot);
    assert.equal(s.status, "charging");
    assert.equal(s.job?.resumeAfterCharge, true);
    d.runUntil((st) => st.status === "cleaning", HOUR, 1_000);
    s = checkedState(d.robot);
    assert.equal(s.battery, 80);
    assert.equal(s.job?.resumeAfterCharge, false);
  });

  it("goes to charge at 15 % mid-job, resumes by itself at 80 % where it left off, and finishes", () => {
    // Reference: the same clean without interruption.
    const reference = createRobot("apartment");
    reference.robot.start();
    reference.runUntil(isHome, 2 * HOUR, 1_000);
    const [expected] = finishedEvents(reference.events);

    const t = createRobot("apartment");
    t.robot.start();
    t.tick(8 * MINUTE);
    t.robot.setBattery(16);
    t.runUntil((s) => s.status === "returning", 10 * MINUTE);
    let s = checkedState(t.robot);
    assert.equal(s.battery, 15);
    assert.equal(s.job?.resumeAfterCharge, true);
    const brokeOffAt = s.pose;
    const areaBefore = s.job!.areaCleanedM2;
    t.runUntil((st) => st.status === "charging", 10 * MINUTE);
    s = checkedState(t.robot);
    assert.equal(s.docked, true);
    assert.equal(s.job?.resumeAfterCharge, true, "the job waits on the dock");
    assert.equal(s.job?.areaCleanedM2, areaBefore, "nothing cleaned on the way home");
    t.runUntil((st) => st.status === "cleaning", 2 * HOUR, 1_000);
    s = checkedState(t.robot);
    assert.equal(s.battery, 80);
    const resumedAt = t.samples.length;
    t.runUntil(isHome, 2 * HOUR, 250);
    // Back at the spot where it broke off before cleaning on.
    const after = t.samples.slice(resumedAt);
    assert.ok(
      after.some((p) => Math.hypot(p.pose.x - brokeOffAt.x, p.pose.y - brokeOffAt.y) < 80),
      "returns to where it left off",
    );
    const finished = finishedEvents(t.events);
    assert.equal(finished.length, 1);
    assert.equal(finished[0].result, "completed");
    // Nothing cleaned twice: the same area as the uninterrupted clean (within rounding of the pass boundary).
    assert.ok(
      Math.abs(finished[0].areaM2 - expected.areaM2) < 0.5,
      `${finished[0].areaM2} vs ${expected.areaM2}`,
    );
    const expectedByRoom = Object.fromEntries(expected.rooms.map((r) => [r.id, r.areaM2]));
    for (const r of finished[0].rooms) assert.ok(r.areaM2 <= expectedByRoom[r.id] + 0.3, r.id);
    assert.ok(finished[0].durationS > expected.durationS + 30 * 60, "the pause to charge is part of the job");
  });

  it("keeps a job that goes to charge through a fault, and can be stopped while it charges", () => {
    const t = createRobot("apartment");
    t.robot.start();
    t.tick(5 * MINUTE);
    t.robot.setBattery(15);
    t.tick(1_000);
    assert.equal(checkedState(t.robot).status, "returning");
    t.robot.injectFault("wheel_blocked");
    assert.equal(checkedState(t.robot).status, "error");
    t.robot.clearFault();
    let s = checkedState(t.robot);
    assert.equal(s.status, "paused");
    assert.equal(s.job?.resumeAfterCharge, true);
    t.robot.resume();
    assert.equal(checkedState(t.robot).status, "returning", "resuming carries on to the dock");
    t.runUntil((st) => st.status === "charging", 10 * MINUTE);
    // A fault on the dock holds the automatic restart back.
    t.robot.injectFault("bin_full");
    t.tick(40 * MINUTE, 1_000);
    s = checkedState(t.robot);
    assert.equal(s.status, "error");
    assert.ok(s.battery > 80);
    t.robot.clearFault();
    assert.equal(checkedState(t.robot).status, "charging");
    expectProtocolError(() => t.robot.start(), "invalid_state", /busy/);
    t.robot.stop();
    s = checkedState(t.robot);
    assert.equal(s.job, null);
    assert.equal(s.status, "charging", "stopping leaves it on the dock");
    assert.equal(finishedEvents(t.events)[0].result, "stopped");
  });

  it("without a dock on the floor, a job ends at 15 % and the robot waits", () => {
    const t = createRobot("house", { startFloor: "upstairs" });
    t.robot.setBattery(20);
    t.robot.cleanRooms([{ id: "master_bedroom" }, { id: "office" }]);
    t.runUntil((s) => s.job === null, HOUR);
    const s = checkedState(t.robot);
    assert.equal(s.status, "idle");
    assert.equal(s.battery, 15);
    assert.equal(finishedEvents(t.events)[0].result, "error");
  });

  it("stops where it is when the battery runs flat", () => {
    const t = createRobot("apartment");
    t.robot.goTo(6500, 7200);
    t.runUntil((s) => s.status === "idle", 10 * MINUTE);
    t.robot.returnToDock();
    t.tick(1_000);
    t.robot.setBattery(0.001);
    t.tick(1_000);
    const s = checkedState(t.robot);
    assert.equal(s.status, "idle");
    assert.equal(s.battery, 0);
    assert.equal(s.docked, false);
    const pose = s.pose;
    t.tick(MINUTE);
    assert.deepEqual(checkedState(t.robot).pose, pose);
    expectProtocolError(() => t.robot.returnToDock(), "invalid_state", /empty/);
    expectProtocolError(() => t.robot.setBattery(101), "invalid_payload");
  });
});

describe("SimulatedRobot: consumables", () => {
  const byId = (list: Consumable[]) => Object.fromEntries(list.map((c) => [c.id, c]));

  it("wear with cleaning minutes; the mop pad only while mopping", () => {
    const t = createRobot("apartment");
    const fresh = byId(t.robot.consumables());
    assert.deepEqual(
      Object.values(fresh).map((c) => [c.id, c.lifetimeMin, c.remainingPercent]),
      [
        ["main_brush", 18_000, 100],
        ["side_brush", 12_000, 100],
        ["filter", 9_000, 100],
        ["mop_pad", 10_800, 100],
        ["sensors", 1_800, 100],
      ],
    );
    t.robot.start();
    t.tick(10 * MINUTE);
    let worn = byId(t.robot.consumables());
    assert.ok(Math.abs(worn.main_brush.usedMin - 10) < 0.01, `${worn.main_brush.usedMin}`);
    assert.equal(worn.mop_pad.usedMin, 0);
    assert.equal(worn.sensors.remainingPercent, 99);
    assert.ok(t.named("event.consumables").length >= 1, "sensors went from 100 to 99 %");
    t.robot.pause();
    t.robot.setSettings({ mode: "vacuum_and_mop" });
    t.robot.resume();
    t.tick(5 * MINUTE);
    worn = byId(t.robot.consumables());
    assert.ok(Math.abs(worn.mop_pad.usedMin - 5) < 0.01, `mop pad ${worn.mop_pad.usedMin}`);
    t.robot.pause();
    t.tick(10 * MINUTE);
    assert.equal(
      byId(t.robot.consumables()).main_brush.usedMin,
      worn.main_brush.usedMin,
      "no wear while paused",
    );
  });

  it("reset puts a consumable back to 100 % and reports it", () => {
    const t = createRobot("apartment");
    t.robot.setConsumableUsed("filter", 4_500);
    assert.equal(byId(t.robot.consumables()).filter.remainingPercent, 50);
    const count = t.named("event.consumables").length;
    t.robot.resetConsumable("filter");
    assert.equal(byId(t.robot.consumables()).filter.remainingPercent, 100);
    assert.equal(t.named("event.consumables").length, count + 1);
    expectProtocolError(() => t.robot.resetConsumable("dust_bag"), "invalid_payload");
  });
});

describe("SimulatedRobot: events", () => {
  it("throttles positions to one per 500 ms while moving and reports the final pose on stop", () => {
    const t = createRobot("apartment");
    t.robot.goTo(6500, 7200);
    t.runUntil((s) => s.status === "idle", 10 * MINUTE, 100);
    const positions = t.named("event.position");
    for (let k = 1; k < positions.length - 1; k++) {
      assert.ok(positions[k].at - positions[k - 1].at >= 500, "at most one per 500 ms");
    }
    const last = positions.at(-1)!.payload as EventPayload<"event.position">;
    assert.deepEqual(last.pose, checkedState(t.robot).pose);
    assert.equal(last.currentRoom, "bathroom");
    t.tick(MINUTE);
    assert.equal(t.named("event.position").length, positions.length, "no position events while still");
  });

  it("sends state on changes, not on every step", () => {
    const t = createRobot("apartment");
    t.robot.start();
    const before = t.named("event.state").length;
    t.tick(MINUTE, 250);
    const during = t.named("event.state").length - before;
    assert.ok(during <= 13, `${during} state events in a minute of cleaning`);
    t.robot.pause();
    const last = t.named("event.state").at(-1)!.payload as RobotState;
    assert.equal(last.status, "paused");
  });

  it("stops notifying after unsubscribe and survives a throwing listener", () => {
    const errors: string[] = [];
    const t = createRobot("apartment", { onListenerError: (_error, event) => errors.push(event) });
    let calls = 0;
    const off = t.robot.onEvent(() => {
      calls++;
    });
    t.robot.locate();
    off();
    t.robot.locate();
    assert.equal(calls, 1);
    t.robot.onEvent(() => {
      throw new Error("listener bug");
    });
    const before = t.events.length;
    t.robot.start();
    assert.equal(checkedState(t.robot).status, "cleaning", "the command still completed");
    assert.ok(t.events.length > before, "other listeners still heard the events");
    assert.deepEqual(errors.slice(0, 2), ["event.cleaning_started", "event.state"]);
  });
});
