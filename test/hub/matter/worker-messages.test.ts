import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HubError } from "../../../hub/core/errors.ts";
import type { RobotView } from "../../../hub/core/robot-view.ts";
import {
  checkFromWorker,
  checkRequestResult,
  checkToWorker,
  errorBodyOf,
  hubErrorOf,
} from "../../../hub/matter/worker-messages.ts";

const view: RobotView = {
  id: "bot-1",
  name: "Kitchen bot",
  model: "S1",
  manufacturer: "Sweep",
  firmware: "1.0.0",
  serial: "SN1",
  address: { host: "127.0.0.1", port: 4000 },
  connection: "offline",
  connectionError: "not reachable",
  capabilities: {},
  state: null,
  pairedAt: 1,
  lastSeenAt: null,
};

describe("Matter worker messages", () => {
  it("accepts well-formed messages in both directions", () => {
    assert.equal(checkToWorker({ type: "robot", view, paired: true }).ok, true);
    assert.equal(
      checkToWorker({ type: "call", id: 3, method: "removeFabric", robotId: "bot-1", fabricIndex: 2 }).ok,
      true,
    );
    assert.equal(
      checkFromWorker({ type: "request", id: 1, op: "command", robotId: "bot-1", name: "start", args: {} })
        .ok,
      true,
    );
    assert.equal(checkFromWorker({ type: "stopped", leftover: [] }).ok, true);
  });

  it("refuses malformed ones and says where", () => {
    const noView = checkToWorker({ type: "robot", paired: true });
    assert.equal(noView.ok, false);
    const badView = checkToWorker({ type: "robot", view: { ...view, connection: "sleeping" }, paired: true });
    assert.equal(badView.ok, false);
    assert.match(badView.ok ? "" : badView.problem, /connection/);
    assert.equal(checkToWorker({ type: "call", id: 0, method: "nodes" }).ok, false, "ids start at 1");
    assert.equal(checkToWorker({ type: "call", id: 1, method: "reboot" }).ok, false, "unknown method");
    assert.equal(checkFromWorker({ type: "request", id: 1, op: "drop_tables" }).ok, false);
    assert.equal(checkFromWorker("ready").ok, false);
    const unknown = checkToWorker({ type: "format_disk" });
    assert.match(unknown.ok ? "" : unknown.problem, /unknown message type "format_disk"/);
  });

  it("carries hub errors across with their code; anything else becomes internal", () => {
    const body = errorBodyOf(new HubError("robot_busy", "The robot is cleaning"));
    assert.deepEqual(body, { code: "robot_busy", message: "The robot is cleaning" });
    const back = hubErrorOf(body);
    assert.ok(back instanceof HubError);
    assert.equal(back.code, "robot_busy");
    assert.equal(back.status, 409);
    assert.deepEqual(errorBodyOf(new TypeError("x is undefined")), {
      code: "internal",
      message: "x is undefined",
    });
    assert.equal(hubErrorOf({ code: "no_such_code", message: "?" }).code, "internal");
  });

  it("checks the hub's answers against what each request returns", () => {
    const allocation = {
      nodeKey: "bot-1",
      robotId: "bot-1",
      port: 5540,
      discriminator: 3840,
      passcode: 20202021,
      createdAt: 1,
    };
    assert.deepEqual(checkRequestResult("allocate", allocation), { ok: true, value: allocation });
    const badPort = checkRequestResult("allocate", { ...allocation, port: 0 });
    assert.equal(badPort.ok, false);
    assert.match(!badPort.ok ? badPort.problem : "", /port/);
    // An answer meant for another request (as after a worker restart) is refused, not used.
    assert.equal(checkRequestResult("allocate", view).ok, false);
    assert.equal(checkRequestResult("command", view).ok, true);
    assert.equal(checkRequestResult("known", view).ok, false);
    assert.equal(checkRequestResult("known", { maps: [], areas: [] }).ok, true);
    assert.equal(checkRequestResult("forget", null).ok, true);
  });
});
