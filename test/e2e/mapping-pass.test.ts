/**
 * Mapping pass end to end: real hub (SQLite, HTTP, WebSocket API) and a real simulator over TLS WebSockets. An
 * unexplored robot explores its home on `map_explore`, the hub's map grows as deltas arrive, the robot docks, and
 * the history records a mapping run (no cleaned area). A robot without the capability is not offered it.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import type { RobotView } from "../../hub/core/robot-view.ts";
import type { MapJson } from "../../hub/maps/map-json.ts";
import { unRunLength } from "../../hub/maps/map-json.ts";
import type { SimulatorFleet } from "../../integrations/sweep/simulator/fleet.ts";
import { startFleet, startTestHub, TEST_CODES, type TestHub, tempDir, waitFor } from "../support/harness.ts";

type Err = { error: { code: string; message: string } };
interface Session {
  jobId: string;
  kind: string;
  result: string | null;
  areaM2: number | null;
  finishedAt: number | null;
}

describe("mapping pass end to end", () => {
  const dir = tempDir("mapping-pass");
  let fleet: SimulatorFleet;
  let hub: TestHub;
  const id = "mapper-001";
  const lite = "mapper-002";
  const knownCells = (m: MapJson) =>
    unRunLength(m.layers.cells, m.width * m.height).filter((c) => c !== 0).length;
  const getMap = async () => {
    const r = await hub.api<MapJson>("GET", `/api/robots/${id}/map`);
    return r.status === 200 ? r.body : null;
  };

  before(async () => {
    fleet = await startFleet({
      dir: dir.path,
      idPrefix: "mapper",
      count: 2,
      timeScale: 40,
      advertise: false,
      plans: ["apartment"],
      explored: false,
      disabledCapabilities: { 1: ["mapping_pass"] },
    });
    hub = await startTestHub(`${dir.path}/hub`);
    for (const [k, robot] of fleet.robots.entries()) {
      const res = await hub.api("POST", "/api/robots/pair", {
        host: "127.0.0.1",
        port: robot.port,
        code: TEST_CODES[k],
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
  });
  after(async () => {
    await hub?.stop();
    await fleet?.stop();
    dir.remove();
  });

  it("offers the command only to robots that advertise mapping_pass", async () => {
    const robot = await waitFor("robot online", async () => {
      const r = await hub.api<RobotView>("GET", `/api/robots/${id}`);
      return r.body.connection === "online" ? r.body : null;
    });
    assert.ok(robot.capabilities.mapping_pass, "advertised by the simulator");
    const other = await waitFor("lite robot online", async () => {
      const r = await hub.api<RobotView>("GET", `/api/robots/${lite}`);
      return r.body.connection === "online" ? r.body : null;
    });
    assert.equal(other.capabilities.mapping_pass, undefined);
    const refused = await hub.api<Err>("POST", `/api/robots/${lite}/commands/map_explore`, {});
    assert.equal(refused.status, 422, JSON.stringify(refused.body));
    assert.equal(refused.body.error.code, "unsupported_capability");
    const bad = await hub.api<Err>("POST", `/api/robots/${id}/commands/map_explore`, { floor: 3 });
    assert.equal(bad.body.error.code, "invalid_request");
    const wrongFloor = await hub.api<Err>("POST", `/api/robots/${id}/commands/map_explore`, {
      floor: "attic",
    });
    assert.equal(wrongFloor.body.error.code, "invalid_arguments");
    assert.match(wrongFloor.body.error.message, /attic/);
  });

  it("explores an unexplored home: the hub's map grows, the robot docks, history records a mapping run", async () => {
    const before = await waitFor("first map", getMap);
    const startCells = knownCells(before);
    const started = await hub.api<{ robot: RobotView }>("POST", `/api/robots/${id}/commands/map_explore`, {});
    assert.equal(started.status, 200, JSON.stringify(started.body));
    assert.equal(started.body.robot.state?.job?.kind, "mapping", "the hub sees a mapping job, not a goto");
    assert.equal(started.body.robot.state?.status, "moving");

    // Busy: a second start over the WebSocket API is refused with the robot's reason.
    const ws = new WebSocket(`${hub.url.replace("http", "ws")}/api/ws`, { headers: hub.authHeaders() });
    const messages: { id?: string; type: string; error?: { code: string; message: string } }[] = [];
    ws.on("message", (data) => messages.push(JSON.parse(String(data))));
    await new Promise((r) => ws.once("open", r));
    ws.send(JSON.stringify({ type: "command", id: "m1", robotId: id, command: "map_explore", args: {} }));
    const busy = await waitFor("busy answer", () => messages.find((m) => m.id === "m1"));
    ws.close();
    assert.equal(busy.type, "error");
    assert.equal(busy.error?.code, "robot_busy");

    await waitFor(
      "the hub's map to grow",
      async () => {
        const m = await getMap();
        return m && knownCells(m) > 2 * startCells;
      },
      60_000,
    );
    const docked = await waitFor(
      "robot back on its dock",
      async () => {
        const r = await hub.api<RobotView>("GET", `/api/robots/${id}`);
        const s = r.body.state;
        return s && s.job === null && s.docked ? s : null;
      },
      90_000,
    );
    assert.equal(docked.floor, "main");

    const truth = fleet.get(id).robot.mapSnapshot(undefined, false);
    const final = await waitFor("hub map equal to the robot's", async () => {
      const m = await getMap();
      return m && knownCells(m) === truth.cells.filter((c) => c !== 0).length ? m : null;
    });
    assert.equal(final.rooms.length, 5, "rooms segmented after the first exploration");

    const history = await hub.api<{ sessions: Session[] }>("GET", `/api/robots/${id}/history`);
    const run = history.body.sessions.find((s) => s.jobId === started.body.robot.state?.job?.id);
    assert.ok(run, JSON.stringify(history.body));
    assert.equal(run.kind, "mapping");
    assert.equal(run.result, "completed");
    assert.equal(run.areaM2, 0);
  });
});
