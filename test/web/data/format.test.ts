import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RobotView } from "../../../hub/core/robot-view.ts";
import type { RobotState } from "../../../integrations/sweep/protocol/robot-state.ts";
import {
  areaLabel,
  batteryLabel,
  durationLabel,
  labelOf,
  quickActions,
  relativeTime,
  robotHeadline,
  runAreaLabel,
  STATUS_LABELS,
} from "../../../web/src/data/format.ts";

const state = (over: Partial<RobotState> = {}): RobotState => ({
  status: "docked",
  battery: 80,
  charging: false,
  docked: true,
  fanSpeed: "standard",
  waterLevel: "off",
  mode: "vacuum",
  pose: { x: 0, y: 0, angle: 0 },
  floor: "ground",
  currentRoom: null,
  error: null,
  job: null,
  ...over,
});

const robot = (over: Partial<RobotView> = {}): RobotView => ({
  id: "r1",
  name: "Rosie",
  model: "S1",
  manufacturer: "Sweep",
  firmware: "1.0",
  serial: "x",
  address: { host: "127.0.0.1", port: 1 },
  connection: "online",
  connectionError: null,
  capabilities: { basic_control: {}, locate: {} },
  state: state(),
  pairedAt: 0,
  lastSeenAt: 0,
  ...over,
});

describe("format", () => {
  it("headline: connection problems first, then faults, then status", () => {
    assert.deepEqual(robotHeadline(robot({ connection: "offline" })), { label: "Offline", tone: "danger" });
    assert.deepEqual(
      robotHeadline(robot({ state: state({ status: "cleaning", error: { code: "stuck", message: "m" } }) })),
      { label: "Needs attention", tone: "danger" },
    );
    assert.deepEqual(robotHeadline(robot({ state: state({ status: "cleaning" }) })), {
      label: "Cleaning",
      tone: "active",
    });
    assert.deepEqual(robotHeadline(robot({ state: state({ status: "paused" }) })).tone, "warn");
    assert.equal(robotHeadline(robot({ state: null })).label, "Waiting for state…");
  });

  it("a mapping run has no cleaned area to show", () => {
    assert.equal(runAreaLabel({ kind: "mapping", areaM2: 0 }), null);
    assert.equal(runAreaLabel({ kind: "full", areaM2: 0 }), "0.0 m²");
  });

  it("headline: a mapping pass reads Mapping, not Moving or Cleaning", () => {
    const mapping = {
      id: "j",
      kind: "mapping" as const,
      rooms: [],
      zones: [],
      target: null,
      startedAt: 0,
      areaCleanedM2: 0,
      cleanedByRoom: [],
      resumeAfterCharge: false,
    };
    assert.deepEqual(robotHeadline(robot({ state: state({ status: "moving", job: mapping }) })), {
      label: "Mapping",
      tone: "active",
    });
    assert.equal(
      robotHeadline(robot({ state: state({ status: "paused", job: mapping }) })).label,
      "Mapping paused",
    );
    assert.equal(
      robotHeadline(robot({ state: state({ status: "moving", job: { ...mapping, kind: "goto" } }) })).label,
      "Moving",
    );
  });

  it("labels unknown values as they are", () => {
    assert.equal(labelOf(STATUS_LABELS, "returning"), "Returning to dock");
    assert.equal(labelOf(STATUS_LABELS, "hovering"), "hovering");
    assert.equal(labelOf(STATUS_LABELS, null), "–");
  });

  it("quick actions follow the state", () => {
    assert.equal(quickActions(robot()).primary?.command, "start");
    assert.equal(quickActions(robot()).canDock, false);
    const cleaning = quickActions(robot({ state: state({ status: "cleaning", docked: false }) }));
    assert.equal(cleaning.primary?.command, "pause");
    assert.ok(cleaning.canDock && cleaning.canStop);
    assert.equal(
      quickActions(robot({ state: state({ status: "paused", docked: false }) })).primary?.command,
      "resume",
    );
    assert.equal(quickActions(robot({ connection: "offline" })).primary, null);
    assert.equal(quickActions(robot({ capabilities: {} })).primary, null);
  });

  it("units", () => {
    assert.equal(batteryLabel(42.4, true), "42 %, charging");
    assert.equal(areaLabel(8.54), "8.5 m²");
    assert.equal(areaLabel(41.4), "41 m²");
    assert.equal(areaLabel(null), "–");
    assert.equal(areaLabel(10, "imperial"), "108 ft²");
    assert.equal(durationLabel(42), "42 s");
    assert.equal(durationLabel(1500), "25 min");
    assert.equal(durationLabel(3 * 3600 + 5 * 60), "3 h 5 min");
    assert.equal(durationLabel(2 * 3600), "2 h");
    assert.equal(durationLabel(300 * 3600 + 20 * 60), "300 h");
  });

  it("relative times", () => {
    const now = 1_700_000_000_000;
    assert.equal(relativeTime(now - 10_000, now), "just now");
    assert.equal(relativeTime(now - 5 * 60_000, now), "5 min ago");
    assert.equal(relativeTime(now - 3 * 3600_000, now), "3 h ago");
    assert.equal(relativeTime(now - 30 * 3600_000, now), "yesterday");
    assert.match(relativeTime(now - 30 * 86_400_000, now), /2023/);
  });
});
