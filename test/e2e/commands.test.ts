/**
 * Every command end to end: HTTP API -> hub session -> TLS WebSocket -> simulated robot, with the resulting
 * state checked on the hub and on the robot itself. The simulator runs at high time scale, so whole cleaning
 * runs finish in seconds of wall time.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import type { RobotView } from "../../hub/core/robot-view.ts";
import type { SimulatorFleet } from "../../integrations/sweep/simulator/fleet.ts";
import { startFleet, startTestHub, TEST_CODES, type TestHub, tempDir, waitFor } from "../support/harness.ts";

type Err = { error: { code: string; message: string; details?: Record<string, unknown> } };

describe("commands end to end", () => {
  const dir = tempDir("commands");
  let fleet: SimulatorFleet;
  let hub: TestHub;
  const id = "cmdbot-001";
  const lite = "cmdbot-002";

  const cmd = <T = { robot: RobotView }>(robotId: string, name: string, body: unknown = {}) =>
    hub.api<T>("POST", `/api/robots/${robotId}/commands/${name}`, body);
  const view = async (robotId = id) => (await hub.api<RobotView>("GET", `/api/robots/${robotId}`)).body;
  const simState = () => fleet.get(id).robot.state();

  before(async () => {
    fleet = await startFleet({
      dir: dir.path,
      count: 2,
      idPrefix: "cmdbot",
      timeScale: 100,
      advertise: false,
      plans: ["apartment"],
      disabledCapabilities: { 1: ["water_level", "clean_mode", "go_to"] },
    });
    hub = await startTestHub(`${dir.path}/hub`, { overrides: { http: { host: "127.0.0.1", port: 0 } } });
    for (const [i, robot] of fleet.robots.entries()) {
      const res = await hub.api("POST", "/api/robots/pair", {
        host: "127.0.0.1",
        port: robot.port,
        code: TEST_CODES[i],
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    await waitFor(
      "robots online",
      async () => (await view(id)).connection === "online" && (await view(lite)).connection === "online",
    );
  });
  after(async () => {
    await hub?.stop();
    await fleet?.stop();
    dir.remove();
  });

  it("start cleans, pause pauses, resume resumes, stop stops", async () => {
    let res = await cmd(id, "start");
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.robot.state?.status, "cleaning");
    assert.equal(simState().status, "cleaning");
    assert.equal(res.body.robot.state?.job?.kind, "full");
    res = await cmd(id, "pause");
    assert.equal(res.body.robot.state?.status, "paused");
    assert.equal(simState().status, "paused");
    const resumeAgain = await cmd<Err>(id, "pause");
    assert.equal(resumeAgain.status, 409);
    assert.equal(resumeAgain.body.error.code, "robot_busy");
    res = await cmd(id, "resume");
    assert.equal(res.body.robot.state?.status, "cleaning");
    res = await cmd(id, "stop");
    assert.equal(res.body.robot.state?.status, "idle");
    assert.equal(res.body.robot.state?.job, null);
    const history = await hub.api<{ sessions: { result: string | null }[] }>(
      "GET",
      `/api/robots/${id}/history`,
    );
    await waitFor("history records the stopped run", async () => {
      const h = await hub.api<{ sessions: { result: string | null }[] }>("GET", `/api/robots/${id}/history`);
      return h.body.sessions.some((s) => s.result === "stopped");
    });
    assert.equal(history.status, 200);
    // Query strings are text: the dashboard asks for ?limit=20.
    const limited = await hub.api<{ sessions: unknown[] }>("GET", `/api/robots/${id}/history?limit=1`);
    assert.equal(limited.status, 200, JSON.stringify(limited.body));
    assert.equal(limited.body.sessions.length, 1);
    const paged = await hub.api<{ sessions: unknown[] }>("GET", `/api/robots/${id}/history?before=1`);
    assert.deepEqual(paged.body.sessions, []);
    for (const bad of ["limit=0", "limit=501", "limit=abc", "before=-1"]) {
      const res = await hub.api<Err>("GET", `/api/robots/${id}/history?${bad}`);
      assert.equal(res.status, 400, bad);
      assert.equal(res.body.error.code, "invalid_request", bad);
    }
  });

  it("dock returns the robot to its dock, where it charges", async () => {
    const res = await cmd(id, "dock");
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.robot.state?.status, "returning");
    const docked = await waitFor("docked on the hub's view", async () => {
      const v = await view();
      return v.state?.docked && (v.state.status === "charging" || v.state.status === "docked") ? v : null;
    });
    assert.equal(docked.state?.docked, true);
  });

  it("locate plays the sound and the hub forwards the robot's event", async () => {
    const res = await cmd(id, "locate");
    assert.equal(res.status, 200);
  });

  it("fan speed, water level and mode change on the robot", async () => {
    assert.equal((await cmd(id, "set_fan_speed", { fanSpeed: "max" })).body.robot.state?.fanSpeed, "max");
    assert.equal(simState().fanSpeed, "max");
    assert.equal(
      (await cmd(id, "set_water_level", { waterLevel: "high" })).body.robot.state?.waterLevel,
      "high",
    );
    assert.equal(simState().waterLevel, "high");
    assert.equal(
      (await cmd(id, "set_mode", { mode: "vacuum_and_mop" })).body.robot.state?.mode,
      "vacuum_and_mop",
    );
    assert.equal(simState().mode, "vacuum_and_mop");
    await cmd(id, "set_mode", { mode: "vacuum" });
    await cmd(id, "set_fan_speed", { fanSpeed: "standard" });
  });

  it("rejects invalid arguments with the field that is wrong", async () => {
    const res = await cmd<Err>(id, "set_fan_speed", { fanSpeed: "ludicrous" });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, "invalid_request");
    assert.match(res.body.error.message, /fanSpeed/);
  });

  it("cleans rooms in the given order with repeats, and records the session", async () => {
    const rooms = await hub.api<{ floor: string; rooms: { id: string; name: string }[] }>(
      "GET",
      `/api/robots/${id}/rooms`,
    );
    assert.equal(rooms.status, 200);
    assert.ok(rooms.body.rooms.length >= 3);
    const [a, b] = rooms.body.rooms;
    assert.ok(a && b);
    const res = await cmd(id, "clean_rooms", { rooms: [{ id: b.id }, { id: a.id, repeats: 2 }] });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.robot.state?.job?.rooms, [b.id, a.id, a.id]);
    const finished = await waitFor(
      "rooms job finished",
      async () => {
        const h = await hub.api<{
          sessions: { kind: string; result: string | null; rooms: { id: string; areaM2: number }[] }[];
        }>("GET", `/api/robots/${id}/history`);
        return h.body.sessions.find((s) => s.kind === "rooms" && s.result === "completed");
      },
      60_000,
    );
    const cleaned = new Set(finished.rooms.filter((r) => r.areaM2 > 0).map((r) => r.id));
    assert.ok(cleaned.has(a.id) && cleaned.has(b.id), "both rooms cleaned");
  });

  it("rejects an unknown room with invalid_arguments from the robot", async () => {
    await waitFor("robot back home", async () => (await view()).state?.status !== "returning");
    const res = await cmd<Err>(id, "clean_rooms", { rooms: [{ id: "ballroom" }] });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, "invalid_arguments");
  });

  it("cleans a zone and goes to a point", async () => {
    const state = simState();
    const zone = {
      x1: state.pose.x - 600,
      y1: state.pose.y - 600,
      x2: state.pose.x + 600,
      y2: state.pose.y + 600,
    };
    let res = await cmd(id, "clean_zones", { zones: [zone] });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.robot.state?.job?.kind, "zones");
    res = await cmd(id, "stop");
    assert.equal(res.body.robot.state?.status, "idle");
    const target = { x: state.pose.x + 300, y: state.pose.y };
    res = await cmd(id, "go_to", target);
    if (res.status !== 200) {
      // The dock can sit against a wall; try the other side.
      res = await cmd(id, "go_to", { x: state.pose.x - 300, y: state.pose.y });
    }
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.robot.state?.status, "moving");
    await waitFor("arrived", async () => (await view()).state?.status === "idle");
  });

  it("consumables can be read and reset", async () => {
    const before = await hub.api<{ consumables: { id: string; usedMin: number }[] }>(
      "GET",
      `/api/robots/${id}/consumables`,
    );
    assert.equal(before.status, 200);
    const brush = before.body.consumables.find((c) => c.id === "main_brush");
    assert.ok(brush && brush.usedMin > 0, "main brush wore during the runs");
    const res = await cmd(id, "reset_consumable", { id: "main_brush" });
    assert.equal(res.status, 200);
    const afterReset = await hub.api<{ consumables: { id: string; usedMin: number }[] }>(
      "GET",
      `/api/robots/${id}/consumables`,
    );
    assert.equal(afterReset.body.consumables.find((c) => c.id === "main_brush")?.usedMin, 0);
  });

  it("reports a robot fault clearly and refuses movement until it is cleared", async () => {
    assert.equal((await cmd(id, "start")).status, 200);
    fleet.get(id).robot.injectFault("brush_jammed");
    const v = await waitFor("fault reaches the hub", async () => {
      const x = await view();
      return x.state?.status === "error" ? x : null;
    });
    assert.equal(v.state?.error?.code, "brush_jammed");
    const res = await cmd<Err>(id, "resume");
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, "robot_fault");
    fleet.get(id).robot.clearFault();
    await waitFor("fault cleared", async () => (await view()).state?.status === "paused");
    assert.equal((await cmd(id, "dock")).status, 200);
  });

  it("refuses commands the robot model lacks, before contacting it", async () => {
    const res = await cmd<Err>(lite, "set_water_level", { waterLevel: "low" });
    assert.equal(res.status, 422);
    assert.equal(res.body.error.code, "unsupported_capability");
    assert.equal(res.body.error.details?.capability, "water_level");
  });

  it("answers unknown robots and commands with 404", async () => {
    const a = await hub.api<Err>("POST", "/api/robots/nobody/commands/start", {});
    assert.equal(a.status, 404);
    assert.equal(a.body.error.code, "robot_not_found");
    const b = await hub.api<Err>("POST", `/api/robots/${id}/commands/fly`, {});
    assert.equal(b.status, 404);
  });

  it("accepts the same commands over the WebSocket API and streams state", async () => {
    const ws = new WebSocket(`${hub.url.replace("http", "ws")}/api/ws`, { headers: hub.authHeaders() });
    const messages: { type: string; id?: string; robot?: RobotView; error?: { code: string } }[] = [];
    ws.on("message", (data) => messages.push(JSON.parse(String(data))));
    await new Promise((r) => ws.once("open", r));
    ws.send(JSON.stringify({ type: "subscribe", robots: [id] }));
    await waitFor("snapshot", () => messages.find((m) => m.type === "snapshot"));
    ws.send("garbage");
    await waitFor("error for garbage", () => messages.find((m) => m.type === "error" && !m.id));
    ws.send(JSON.stringify({ type: "command", id: "w1", robotId: id, command: "locate" }));
    const result = await waitFor("command result", () => messages.find((m) => m.id === "w1"));
    assert.equal(result.type, "result");
    ws.send(JSON.stringify({ type: "command", id: "w2", robotId: id, command: "resume" }));
    const err = await waitFor("command error", () => messages.find((m) => m.id === "w2"));
    assert.equal(err.type, "error");
    assert.equal(err.error?.code, "robot_busy");
    ws.close();
  });
});
