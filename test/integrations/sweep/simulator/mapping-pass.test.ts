/** The mapping pass: frontier exploration with the vacuum off, then home (mapping-pass.ts, simulated-robot.ts). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MapCell } from "../../../../integrations/sweep/protocol/map-model.ts";
import type { CleaningFinished } from "../../../../integrations/sweep/protocol/methods.ts";
import type { Job } from "../../../../integrations/sweep/protocol/robot-state.ts";
import { NavigationMap } from "../../../../integrations/sweep/simulator/navigation.ts";
import type { OccupancyGrid } from "../../../../integrations/sweep/simulator/occupancy-grid.ts";
import { createRobot, expectProtocolError, HOUR, isHome, MINUTE } from "./helpers.ts";

/** Free cells of the floor's ground truth the robot can reach from its dock when nothing is restricted. */
function reachableFreeCells(grid: OccupancyGrid): number[] {
  const nav = new NavigationMap(grid);
  const home = nav.componentAt(grid.dock!.x, grid.dock!.y);
  const out: number[] = [];
  for (let i = 0; i < grid.cells.length; i++) if (nav.free[i] && nav.component[i] === home) out.push(i);
  return out;
}

describe("mapping pass", () => {
  it("explores every reachable cell of an unexplored multi-room floor with the vacuum off, segments it and docks", () => {
    const t = createRobot("apartment");
    const grid = t.robot.occupancyGrid();
    const reachable = reachableFreeCells(grid);
    const knownBefore = t.robot.mapSnapshot().cells.filter((c) => c !== MapCell.unknown).length;
    const wearBefore = t.robot.consumables();
    t.robot.explore();
    const first = t.robot.state();
    assert.equal(first.status, "moving", "driving, not cleaning");
    assert.equal(first.job?.kind, "mapping");
    const used = t.runUntil(isHome, 2 * HOUR);

    const started = t.named("event.cleaning_started").map((e) => (e.payload as { job: Job }).job);
    assert.deepEqual(
      started.map((j) => j.kind),
      ["mapping"],
    );
    const finished = t.named("event.cleaning_finished").map((e) => e.payload as CleaningFinished);
    assert.equal(finished.length, 1);
    assert.equal(finished[0].kind, "mapping");
    assert.equal(finished[0].result, "completed");
    assert.equal(finished[0].areaM2, 0, "nothing was cleaned");
    assert.deepEqual(finished[0].rooms, []);
    assert.ok(
      t.samples.every((s) => s.status !== "cleaning" && (s.job?.areaCleanedM2 ?? 0) === 0),
      "never cleaning",
    );

    const map = t.robot.mapSnapshot();
    const unknown = reachable.filter((i) => map.cells[i] === MapCell.unknown);
    assert.deepEqual(unknown, [], "every reachable free cell is on the map");
    assert.ok(map.cells.filter((c) => c !== MapCell.unknown).length > 3 * knownBefore, "the map grew a lot");
    // Rooms were segmented afresh after the first exploration (generic names, new ids), one per plan room.
    assert.equal(map.rooms.length, 5);
    assert.ok(
      map.rooms.every((r) => /^seg\d+-\d+$/.test(r.id) && /^Room \d+$/.test(r.name)),
      JSON.stringify(map.rooms),
    );
    // The bedroom and bathroom are only reachable through doors: it really went there.
    assert.ok(
      t.samples.some((s) => s.pose.y > 5200 && s.pose.x < 4000),
      "drove into the bedroom",
    );
    assert.ok(
      t.samples.some((s) => s.pose.y > 5200 && s.pose.x > 5200 && s.pose.x < 7800),
      "drove into the bathroom",
    );

    // Vacuum off: no brush or filter wear; battery drains at the driving rate (0.35 %/min), not the cleaning rate.
    assert.deepEqual(t.robot.consumables(), wearBefore);
    const lowest = Math.min(...t.samples.map((s) => s.battery));
    const minutesOut = used / MINUTE;
    assert.ok(
      100 - lowest <= Math.ceil(0.35 * minutesOut) + 1,
      `drained ${100 - lowest} % in ${minutesOut} min`,
    );
    assert.ok(minutesOut > 1, `a real drive through five rooms (${minutesOut} min)`);

    // A second pass on an explored floor drives through it again (a refresh) and keeps the rooms as they are.
    const ids = map.rooms.map((r) => r.id);
    t.robot.explore();
    const again = t.runUntil(isHome, HOUR);
    assert.ok(again > used / 2, `refresh drove through the home (${again / MINUTE} min)`);
    assert.deepEqual(
      t.robot.mapSnapshot().rooms.map((r) => r.id),
      ids,
    );
  });

  it("never drives into a no-go area or past a virtual wall; what lies behind stays unvisited", () => {
    const t = createRobot("apartment");
    // The bedroom door is inside the no-go area: the bedroom cannot be reached.
    // A virtual wall across the hallway's bathroom door: the bathroom cannot be reached either.
    t.robot.setRestrictions([
      { id: "door", kind: "no_go", x1: 3500, y1: 4500, x2: 5000, y2: 5500 },
      { id: "wall", kind: "virtual_wall", x1: 8000, y1: 5900, x2: 8000, y2: 6900 },
    ]);
    t.robot.explore();
    t.runUntil(isHome, 2 * HOUR);
    const inside = t.samples.filter(
      (s) => s.pose.x > 3500 && s.pose.x < 5000 && s.pose.y > 4500 && s.pose.y < 5500,
    );
    assert.equal(inside.length, 0, "never inside the no-go area");
    assert.ok(!t.samples.some((s) => s.pose.y > 5500 && s.pose.x < 4400), "never in the bedroom");
    const map = t.robot.mapSnapshot();
    assert.ok(!map.path.some((p) => p.x > 3500 && p.x < 5000 && p.y > 4500 && p.y < 5500));
    // The far corner of the bedroom is out of the lidar's sight from the door: still unknown.
    const grid = t.robot.occupancyGrid();
    const cellAt = (x: number, y: number) =>
      Math.floor((y - grid.originY) / grid.resolutionMm) * grid.width +
      Math.floor((x - grid.originX) / grid.resolutionMm);
    assert.equal(map.cells[cellAt(300, 8300)], MapCell.unknown);
    assert.ok(
      !t.samples.some((s) => s.pose.y > 5200 && s.pose.x > 5200 && s.pose.x < 7800),
      "never in the bathroom",
    );
    // The end of the hallway (past the walled-off door) is on the map all the same.
    assert.equal(map.cells[cellAt(9000, 8200)], MapCell.floor);
  });

  it("pauses, resumes, stops and goes home like a cleaning job", () => {
    const t = createRobot("apartment");
    t.robot.explore();
    t.tick(30_000);
    t.robot.pause();
    const paused = t.robot.state();
    assert.equal(paused.status, "paused");
    assert.equal(paused.job?.kind, "mapping");
    t.tick(20_000);
    assert.deepEqual(t.robot.state().pose, paused.pose, "stands still while paused");
    t.robot.resume();
    assert.equal(t.robot.state().status, "moving");
    t.tick(10_000);
    assert.notDeepEqual(t.robot.state().pose, paused.pose, "moves again");
    t.robot.returnToDock();
    assert.equal(t.robot.state().status, "returning");
    assert.equal(t.robot.state().job, null);
    t.runUntil(isHome, HOUR);
    const finished = t.named("event.cleaning_finished").map((e) => e.payload as CleaningFinished);
    assert.deepEqual(
      finished.map((f) => [f.kind, f.result]),
      [["mapping", "stopped"]],
    );
    t.robot.explore();
    t.tick(5_000);
    t.robot.stop();
    assert.equal(t.robot.state().status, "idle");
  });

  it("goes to charge at low battery and carries on exploring afterwards; a fault pauses it", () => {
    const t = createRobot("apartment");
    t.robot.explore();
    t.tick(20_000);
    t.robot.injectFault("wheel_blocked");
    assert.equal(t.robot.state().job?.kind, "mapping", "kept, paused, while the fault lasts");
    t.robot.clearFault();
    t.robot.resume();
    t.tick(20_000);
    t.robot.setBattery(16);
    t.runUntil((s) => s.job?.resumeAfterCharge === true, 10 * MINUTE);
    t.runUntil((s) => s.status === "charging", 10 * MINUTE);
    t.runUntil((s) => s.status === "moving" && s.job?.kind === "mapping", 2 * HOUR);
    t.runUntil(isHome, 2 * HOUR);
    const finished = t.named("event.cleaning_finished").map((e) => e.payload as CleaningFinished);
    assert.deepEqual(
      finished.map((f) => [f.kind, f.result]),
      [["mapping", "completed"]],
    );
    const grid = t.robot.occupancyGrid();
    const map = t.robot.mapSnapshot();
    assert.deepEqual(
      reachableFreeCells(grid).filter((i) => map.cells[i] === MapCell.unknown),
      [],
      "explored everything in the end",
    );
  });

  it("is refused while cleaning, on another floor, and with a weak battery away from the dock", () => {
    const t = createRobot("house", { explored: true });
    expectProtocolError(() => t.robot.explore("upstairs"), "invalid_payload", /not "upstairs"/);
    expectProtocolError(() => t.robot.explore("attic"), "invalid_payload", /Unknown floor/);
    t.robot.start();
    expectProtocolError(() => t.robot.explore(), "invalid_state", /busy/);
    t.robot.stop();
    t.robot.setBattery(10);
    expectProtocolError(() => t.robot.explore(), "invalid_state", /battery/i);
    // On the dock with a weak battery it charges first, as a cleaning job does.
    const docked = createRobot("apartment");
    docked.robot.setBattery(10);
    docked.robot.explore();
    assert.equal(docked.robot.state().status, "charging");
    assert.equal(docked.robot.state().job?.resumeAfterCharge, true);
  });
});
