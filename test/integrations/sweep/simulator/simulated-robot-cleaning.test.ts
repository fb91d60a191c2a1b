import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CleaningFinished } from "../../../../integrations/sweep/protocol/methods.ts";
import type { RobotState } from "../../../../integrations/sweep/protocol/robot-state.ts";
import {
  discOffsets,
  NavigationMap,
  robotRadiusCells,
} from "../../../../integrations/sweep/simulator/navigation.ts";
import {
  CellType,
  cellAreaM2,
  type OccupancyGrid,
} from "../../../../integrations/sweep/simulator/occupancy-grid.ts";
import { listFloorPlans, SimulatedRobot } from "../../../../integrations/sweep/simulator/simulated-robot.ts";
import {
  checkedState,
  createRobot,
  expectProtocolError,
  HOUR,
  isHome,
  MINUTE,
  type TestRobot,
} from "./helpers.ts";

/**
 * Floor area the robot can clean from its dock: floor cells within the robot's radius of a free cell
 * connected to the dock (computed here from the grid, independently of the planner).
 */
function reachableFloorM2(grid: OccupancyGrid, roomId?: string): number {
  const nav = new NavigationMap(grid);
  const home = nav.componentAt(grid.dock!.x, grid.dock!.y);
  const disc = discOffsets(robotRadiusCells(grid));
  const room = roomId === undefined ? -1 : grid.rooms.findIndex((r) => r.id === roomId);
  const seen = new Uint8Array(grid.cells.length);
  let n = 0;
  for (let i = 0; i < grid.cells.length; i++) {
    if (!nav.free[i] || nav.component[i] !== home) continue;
    const col = i % grid.width;
    const row = (i - col) / grid.width;
    for (const { dc, dr } of disc) {
      const j = (row + dr) * grid.width + col + dc;
      if (seen[j] || grid.cells[j] !== CellType.floor || (room >= 0 && grid.roomIndex[j] !== room)) continue;
      seen[j] = 1;
      n++;
    }
  }
  return n * cellAreaM2(grid);
}

const finishedEvents = (t: TestRobot) =>
  t.named("event.cleaning_finished").map((e) => e.payload as CleaningFinished);

/** Rooms in the order the robot cleaned them: a room counts when its cleaned area grows. */
function cleaningSequence(samples: RobotState[]): string[] {
  const seq: string[] = [];
  const last = new Map<string, number>();
  let jobId: string | null = null;
  for (const s of samples) {
    if (!s.job) continue;
    if (s.job.id !== jobId) {
      jobId = s.job.id;
      last.clear();
    }
    for (const r of s.job.cleanedByRoom) {
      if (r.areaM2 > (last.get(r.id) ?? 0)) {
        if (seq.at(-1) !== r.id) seq.push(r.id);
        last.set(r.id, r.areaM2);
      }
    }
  }
  return seq;
}

describe("SimulatedRobot: full clean", () => {
  for (const plan of listFloorPlans()) {
    it(`${plan}: cleans >= 90% of the reachable floor, never touching walls or furniture, then docks`, () => {
      const t = createRobot(plan);
      t.robot.start();
      t.runUntil(isHome, 3 * HOUR);
      const grid = t.robot.occupancyGrid();
      const [finished] = finishedEvents(t);
      assert.equal(finished.result, "completed");
      assert.equal(finished.kind, "full");
      const reachable = reachableFloorM2(grid);
      assert.ok(finished.areaM2 >= 0.9 * reachable, `${finished.areaM2} of ${reachable.toFixed(1)} m2`);
      assert.ok(finished.areaM2 <= reachable + 0.01);
      assert.deepEqual(
        finished.rooms.map((r) => r.id).sort(),
        grid.rooms.map((r) => r.id).sort(),
        "every room cleaned",
      );
      // Each room once: never more than the room's own reachable floor.
      for (const r of finished.rooms) assert.ok(r.areaM2 <= reachableFloorM2(grid, r.id) + 0.01, r.id);
      // Realistic pace: a bit under 3 m2 per minute including transit, and the trip home.
      const minutes = finished.durationS / 60;
      assert.ok(
        finished.areaM2 / minutes > 1.5 && finished.areaM2 / minutes < 4,
        `${minutes.toFixed(1)} min`,
      );
      const s = checkedState(t.robot);
      assert.equal(s.docked, true);
      assert.ok(s.battery < 100 && s.battery > 30, `battery ${s.battery}`);
      // Statuses go cleaning -> returning -> charging.
      const statuses = t.named("event.state").map((e) => (e.payload as RobotState).status);
      const order = statuses.filter((st, k) => st !== statuses[k - 1]);
      assert.deepEqual(order.slice(-3), ["cleaning", "returning", "charging"]);
    });
  }

  it("finishes charging as docked", () => {
    const t = createRobot("apartment");
    t.robot.start();
    t.runUntil(isHome, HOUR);
    t.runUntil((s) => s.status === "docked", 2 * HOUR, 5_000);
    const s = checkedState(t.robot);
    assert.equal(s.battery, 100);
    assert.equal(s.charging, false);
  });

  it("is cheap to simulate: a full apartment clean in well under a second of CPU", () => {
    const robot = new SimulatedRobot({ id: "perf", name: "Perf", plan: "apartment", now: () => 0 });
    const started = process.cpuUsage();
    robot.start();
    // 1000x time scale with a 50 ms timer: 50 s of robot time per call.
    for (let n = 0; n < 200 && robot.state().job; n++) robot.advance(50_000);
    const used = process.cpuUsage(started);
    assert.equal(robot.state().job, null);
    assert.ok((used.user + used.system) / 1000 < 800, `${(used.user + used.system) / 1000} ms CPU`);
  });

  it("behaves the same with one big advance as with many small ones, and is deterministic", () => {
    const run = (step: number) => {
      const robot = new SimulatedRobot({ id: "det", name: "Det", plan: "loft", now: () => 1_000 });
      const names: string[] = [];
      robot.onEvent((name) => names.push(name));
      robot.cleanRooms([{ id: "kitchen_area" }, { id: "bathroom" }]);
      for (let t = 0; t < 40 * MINUTE; t += step) robot.advance(step);
      return { state: robot.state(), names };
    };
    const a = run(60_000);
    const b = run(60_000);
    assert.deepEqual(a, b, "same commands, same clock: same results");
    const small = run(250);
    assert.deepEqual(small.state.job, a.state.job);
    assert.deepEqual(small.state.pose, a.state.pose);
    assert.equal(small.state.battery, a.state.battery);
  });
});

describe("SimulatedRobot: room cleaning", () => {
  it("cleans rooms in the requested order with repeats, counting each repeat", () => {
    const t = createRobot("apartment");
    t.robot.cleanRooms([{ id: "bedroom" }, { id: "kitchen", repeats: 2 }, { id: "living" }]);
    const s = checkedState(t.robot);
    assert.deepEqual(s.job?.rooms, ["bedroom", "kitchen", "kitchen", "living"]);
    assert.equal(s.job?.kind, "rooms");
    t.runUntil(isHome, 2 * HOUR);
    assert.deepEqual(cleaningSequence(t.samples), ["bedroom", "kitchen", "living"]);
    const [finished] = finishedEvents(t);
    const grid = t.robot.occupancyGrid();
    const byRoom = Object.fromEntries(finished.rooms.map((r) => [r.id, r.areaM2]));
    assert.deepEqual(Object.keys(byRoom), ["bedroom", "kitchen", "living"]);
    const kitchen = reachableFloorM2(grid, "kitchen");
    assert.ok(
      byRoom.kitchen > 1.8 * kitchen && byRoom.kitchen <= 2 * kitchen + 0.01,
      "kitchen counted twice",
    );
    assert.ok(byRoom.living <= reachableFloorM2(grid, "living") + 0.01);
    // The robot was in the kitchen twice in a row (two passes) without cleaning anything else between.
    assert.ok(!("hallway" in byRoom) && !("bathroom" in byRoom), "rooms on the way are not credited");
  });

  it("validates room requests", () => {
    const t = createRobot("apartment");
    const unknown = expectProtocolError(
      () => t.robot.cleanRooms([{ id: "garage" }]),
      "invalid_payload",
      /garage/,
    );
    assert.equal(unknown.details?.room, "garage");
    expectProtocolError(() => t.robot.cleanRooms([]), "invalid_payload");
    expectProtocolError(
      () => t.robot.cleanRooms([{ id: "kitchen", repeats: 4 }]),
      "invalid_payload",
      /repeats/,
    );
    expectProtocolError(() => t.robot.cleanRooms([{ id: "kitchen", repeats: 0 }]), "invalid_payload");
    assert.equal(checkedState(t.robot).status, "docked");
  });
});

describe("SimulatedRobot: zone cleaning", () => {
  it("cleans only inside the zone, each repeat counted", () => {
    const t = createRobot("loft");
    const zone = { x1: 2000, y1: 500, x2: 5000, y2: 2000 };
    t.robot.cleanZones([zone], 2);
    assert.deepEqual(checkedState(t.robot).job?.zones, [zone]);
    let inZone = 0;
    t.runUntil((s) => {
      const inside = s.pose.x >= zone.x1 && s.pose.x <= zone.x2 && s.pose.y >= zone.y1 && s.pose.y <= zone.y2;
      if (s.status === "cleaning" && inside) inZone++;
      return isHome(s);
    }, HOUR);
    const [finished] = finishedEvents(t);
    const zoneM2 = ((zone.x2 - zone.x1) * (zone.y2 - zone.y1)) / 1e6;
    assert.deepEqual(
      finished.rooms.map((r) => r.id),
      ["living_area"],
    );
    assert.ok(finished.areaM2 <= 2 * zoneM2, `${finished.areaM2} m2 for a ${zoneM2} m2 zone cleaned twice`);
    assert.ok(finished.areaM2 >= 2 * 0.8 * zoneM2, `${finished.areaM2} m2`);
    assert.ok(inZone > 100, "most cleaning time is spent in the zone");
  });

  it("clips zones to the floor and validates them", () => {
    const t = createRobot("apartment");
    expectProtocolError(
      () => t.robot.cleanZones([{ x1: 50_000, y1: 0, x2: 52_000, y2: 1000 }]),
      "invalid_payload",
      /outside the map/,
    );
    expectProtocolError(
      () => t.robot.cleanZones([{ x1: 300, y1: 3700, x2: 1400, y2: 4800 }]),
      "invalid_payload",
      /reach/,
    );
    expectProtocolError(() => t.robot.cleanZones([]), "invalid_payload");
    const many = Array.from({ length: 6 }, () => ({ x1: 1000, y1: 1000, x2: 2000, y2: 2000 }));
    expectProtocolError(() => t.robot.cleanZones(many), "invalid_payload", /zones/);
    // A zone reaching past the outer wall is cut to the floor; reversed corners are normalised.
    t.robot.cleanZones([{ x1: 2000, y1: 2000, x2: -3000, y2: -1000 }]);
    assert.deepEqual(checkedState(t.robot).job?.zones, [{ x1: -3000, y1: -1000, x2: 2000, y2: 2000 }]);
    t.runUntil(isHome, HOUR);
    const [finished] = finishedEvents(t);
    assert.ok(finished.areaM2 <= 4 && finished.areaM2 > 2.5, `${finished.areaM2}`);
  });
});

describe("SimulatedRobot: goto", () => {
  it("drives to the point and waits there as idle", () => {
    const t = createRobot("apartment");
    t.robot.goTo(6500, 7200);
    let s = checkedState(t.robot);
    assert.equal(s.status, "moving");
    assert.deepEqual(s.job?.target, { x: 6500, y: 7200 });
    t.runUntil((st) => st.status === "idle", 10 * MINUTE);
    s = checkedState(t.robot);
    assert.ok(Math.hypot(s.pose.x - 6500, s.pose.y - 7200) < 1, JSON.stringify(s.pose));
    assert.equal(s.currentRoom, "bathroom");
    assert.equal(s.job, null);
    const [finished] = finishedEvents(t);
    assert.equal(finished.kind, "goto");
    assert.equal(finished.result, "completed");
    assert.equal(finished.areaM2, 0);
    t.tick(MINUTE);
    assert.equal(checkedState(t.robot).status, "idle", "stays put");
  });

  it("moves a target just next to a wall to where the robot fits", () => {
    const t = createRobot("apartment");
    t.robot.goTo(9000, 2880);
    t.runUntil((st) => st.status === "idle", 10 * MINUTE);
    const s = checkedState(t.robot);
    assert.ok(Math.hypot(s.pose.x - 9000, s.pose.y - 2980) < 250);
  });

  it("rejects targets in walls, furniture, outside the map or unreachable", () => {
    const t = createRobot("apartment");
    expectProtocolError(() => t.robot.goTo(2000, 4000), "invalid_payload", /obstacle \(sofa\)/);
    expectProtocolError(() => t.robot.goTo(6000, 3200), "invalid_payload", /inside a wall/);
    expectProtocolError(() => t.robot.goTo(20_000, 3000), "invalid_payload", /outside the map/);
    expectProtocolError(() => t.robot.goTo(800, 4300), "invalid_payload", /cannot be reached/);
    expectProtocolError(() => t.robot.goTo(Number.NaN, 0), "invalid_payload");
    assert.equal(checkedState(t.robot).status, "docked");
  });
});
