/**
 * Shared helpers for the simulator engine tests: a robot on a fake clock that moves with `advance`, every
 * event and every state checked against the protocol schemas, and pose checks against the floor's grid.
 */
import assert from "node:assert/strict";
import { afterEach } from "node:test";
import { Compile } from "typebox/compile";
import { ProtocolError } from "../../../../integrations/sweep/protocol/errors.ts";
import { EVENTS, type EventName } from "../../../../integrations/sweep/protocol/methods.ts";
import { type RobotState, RobotStateSchema } from "../../../../integrations/sweep/protocol/robot-state.ts";
import { CellType, cellIndexAt } from "../../../../integrations/sweep/simulator/occupancy-grid.ts";
import {
  type FloorPlanId,
  SimulatedRobot,
  type SimulatedRobotOptions,
} from "../../../../integrations/sweep/simulator/simulated-robot.ts";

export const START_TIME = Date.UTC(2025, 0, 6, 9, 0, 0);

const stateValidator = Compile(RobotStateSchema);
const eventValidators = Object.fromEntries(
  Object.entries(EVENTS).map(([name, schema]) => [name, Compile(schema)]),
) as Record<EventName, ReturnType<typeof Compile>>;

/**
 * Event payloads that failed their schema, or listener errors, from any robot made by createRobot. Checked
 * after every tick and after every test, so a bad event fails the test that caused it.
 */
const listenerErrors: string[] = [];
afterEach(() => {
  const errors = listenerErrors.splice(0);
  assert.deepEqual(errors, [], "every event payload validates against its schema");
});

export interface RecordedEvent {
  name: EventName;
  payload: unknown;
  /** Robot time (fake clock) when it was emitted. */
  at: number;
}

export interface TestRobot {
  robot: SimulatedRobot;
  events: RecordedEvent[];
  /** Fake clock, moved together with the robot by `tick`. */
  clock: { now: number };
  /** Advances the robot and the clock, checking the state (schema, pose on open floor) after every step. */
  tick(ms: number, stepMs?: number): void;
  /** Ticks until `done(state)` holds; fails after `maxMs` of robot time. Returns the robot time used. */
  runUntil(done: (s: RobotState) => boolean, maxMs: number, stepMs?: number): number;
  /** Every state sampled by tick/runUntil. */
  samples: RobotState[];
  named(name: EventName): RecordedEvent[];
}

export function createRobot(plan: FloorPlanId, options: Partial<SimulatedRobotOptions> = {}): TestRobot {
  const clock = { now: START_TIME };
  const robot = new SimulatedRobot({
    id: "sim-1",
    name: "Test robot",
    plan,
    now: () => clock.now,
    ...options,
  });
  const events: RecordedEvent[] = [];
  const samples: RobotState[] = [];
  robot.onEvent((name, payload) => {
    const validator = eventValidators[name];
    assert.ok(validator, `unknown event ${name}`);
    assert.ok(
      validator.Check(payload),
      `${name} payload invalid: ${JSON.stringify([...validator.Errors(payload)])}`,
    );
    events.push({ name, payload: structuredClone(payload), at: clock.now });
  });
  const check = () => {
    assert.deepEqual(listenerErrors, [], "every event payload validates against its schema");
    const s = checkedState(robot);
    const grid = robot.occupancyGrid(s.floor);
    const i = cellIndexAt(grid, s.pose.x, s.pose.y);
    const type = i < 0 ? CellType.outside : grid.cells[i];
    assert.equal(
      type,
      CellType.floor,
      `pose ${JSON.stringify(s.pose)} on ${s.floor} is not open floor (${type})`,
    );
    samples.push(s);
    return s;
  };
  const tick = (ms: number, stepMs = 250) => {
    for (let left = ms; left > 0; left -= stepMs) {
      const dt = Math.min(stepMs, left);
      clock.now += dt;
      robot.advance(dt);
      check();
    }
  };
  const runUntil = (done: (s: RobotState) => boolean, maxMs: number, stepMs = 250) => {
    let used = 0;
    while (!done(checkedState(robot))) {
      assert.ok(
        used < maxMs,
        `condition not reached within ${maxMs / 60_000} min; state ${JSON.stringify(robot.state())}`,
      );
      tick(stepMs, stepMs);
      used += stepMs;
    }
    return used;
  };
  return { robot, events, clock, tick, runUntil, samples, named: (n) => events.filter((e) => e.name === n) };
}

export function checkedState(robot: SimulatedRobot): RobotState {
  const s = robot.state();
  assert.ok(stateValidator.Check(s), `state invalid: ${JSON.stringify([...stateValidator.Errors(s)])}`);
  return s;
}

/** Asserts that `fn` throws a ProtocolError with this code (and returns it for more checks). */
export function expectProtocolError(fn: () => void, code: string, messagePart?: RegExp): ProtocolError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ProtocolError, `expected ProtocolError, got ${String(error)}`);
    assert.equal(error.code, code, `expected ${code}, got ${error.code}: ${error.message}`);
    if (messagePart) assert.match(error.message, messagePart);
    return error;
  }
  assert.fail(`expected ProtocolError ${code}, nothing was thrown`);
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export const isHome = (s: RobotState) => s.job === null && (s.status === "docked" || s.status === "charging");
