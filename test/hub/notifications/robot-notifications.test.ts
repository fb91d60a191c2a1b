/**
 * The words of a finished-run notification: rooms (by the names the hub shows), area in the user's units,
 * duration, how it ended.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NoticeMessage } from "../../../hub/auth/security-notices.ts";
import type { UserRecord } from "../../../hub/auth/user-repository.ts";
import { EventBus } from "../../../hub/core/event-bus.ts";
import { finishedMessage, RobotNotifications } from "../../../hub/notifications/robot-notifications.ts";
import type { RobotManager } from "../../../hub/robots/robot-manager.ts";
import { memoryLogger } from "../../support/harness.ts";

const run = { kind: "rooms" as const, result: "completed" as const, areaM2: 12, durationS: 840 };

describe("finishedMessage", () => {
  it("names the robot, the rooms, the area and the time", () => {
    assert.equal(
      finishedMessage("Rosie", run, ["Kitchen"], "metric"),
      "Rosie finished cleaning Kitchen: 12 m² in 14 min.",
    );
    assert.equal(
      finishedMessage("Rosie", run, ["Kitchen", "Hall", "Bedroom"], "imperial"),
      "Rosie finished cleaning Kitchen, Hall and Bedroom: 129 ft² in 14 min.",
    );
  });

  it("says how a run ended that did not complete, and what a whole-home, zone or mapping run was", () => {
    assert.equal(
      finishedMessage("Rosie", { ...run, kind: "full", result: "stopped" }, null, "metric"),
      "Rosie stopped cleaning before the end: 12 m² in 14 min.",
    );
    assert.equal(
      finishedMessage("Rosie", { ...run, kind: "zones", result: "error" }, null, "metric"),
      "Rosie could not finish cleaning the zones because of a problem: 12 m² in 14 min.",
    );
    assert.equal(
      finishedMessage("Rosie", { ...run, kind: "mapping" }, null, "metric"),
      "Rosie finished mapping in 14 min.",
    );
  });
});

describe("RobotNotifications room names", () => {
  /** The message a finished run of room "kitchen" gets; the robot itself cannot be asked (it went offline). */
  const messageFor = async (rooms?: () => (id: string) => { id: string; name: string }[]) => {
    const bus = new EventBus();
    const raised: NoticeMessage[] = [];
    const offlineRobot = {
      list: () => [],
      get: () => ({ name: "Rosie" }),
      query: () => Promise.reject(new Error("robot offline")),
    } as unknown as RobotManager;
    const n = new RobotNotifications({
      bus,
      notices: { raiseForRobot: (_id, _kind, message) => raised.push(message) },
      robots: () => offlineRobot,
      ...(rooms ? { rooms } : {}),
      log: memoryLogger().log,
    });
    n.start();
    bus.emit("robotEvent", {
      robotId: "bot-1",
      name: "event.cleaning_finished",
      payload: {
        jobId: "j1",
        kind: "rooms",
        result: "completed",
        areaM2: 12,
        durationS: 840,
        rooms: [{ id: "kitchen", areaM2: 12 }],
      },
    } as never);
    await new Promise((r) => setImmediate(r));
    n.stop();
    const [message] = raised;
    const user = { preferences: { units: "metric" } } as UserRecord;
    return typeof message === "function" ? message(user) : message;
  };

  it("uses the names the hub keeps (as the dashboard shows them), ids only when nobody knows the room", async () => {
    assert.equal(
      await messageFor(() => () => [{ id: "kitchen", name: "Kitchen" }]),
      "Rosie finished cleaning Kitchen: 12 m² in 14 min.",
    );
    assert.equal(await messageFor(), "Rosie finished cleaning kitchen: 12 m² in 14 min.");
  });
});
