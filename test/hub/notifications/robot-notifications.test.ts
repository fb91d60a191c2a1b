/** The words of a finished-run notification: rooms, area in the user's units, duration, how it ended. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { finishedMessage } from "../../../hub/notifications/robot-notifications.ts";

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
