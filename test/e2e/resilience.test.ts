/**
 * Reconnection: a robot that restarts, a hub that restarts (robots reloaded from SQLite, no duplicates), a
 * robot that comes back on another port (followed through mDNS), and a half-open connection found by the
 * heartbeat.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { RobotView } from "../../hub/core/robot-view.ts";
import type { SimulatorFleet } from "../../integrations/sweep/simulator/fleet.ts";
import { startFleet, startTestHub, TEST_CODES, type TestHub, tempDir, waitFor } from "../support/harness.ts";

describe("reconnects and restarts", () => {
  const dir = tempDir("resilience");
  let fleet: SimulatorFleet;
  let hub: TestHub;
  const id = "rebot-001";
  const view = async () => (await hub.api<RobotView>("GET", `/api/robots/${id}`)).body;

  before(async () => {
    fleet = await startFleet({ dir: dir.path, count: 1, idPrefix: "rebot" });
    hub = await startTestHub(`${dir.path}/hub`);
    await waitFor("discovered", () => hub.discovery?.get(id));
    const res = await hub.api("POST", "/api/robots/pair", { robotId: id, code: TEST_CODES[0] });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    await waitFor("online", async () => (await view()).connection === "online");
  });
  after(async () => {
    await hub?.stop();
    await fleet?.stop();
    dir.remove();
  });

  it("reconnects after the robot restarts", async () => {
    await fleet.restart(id, { downMs: 300 });
    await waitFor("offline seen or already back", async () => (await view()).connection !== "connecting");
    await waitFor("online again", async () => (await view()).connection === "online");
    const res = await hub.api<{ robot: RobotView }>("POST", `/api/robots/${id}/commands/locate`, {});
    assert.equal(res.status, 200);
  });

  it("reloads paired robots after a hub restart, without duplicates", async () => {
    await hub.stop();
    hub = await startTestHub(`${dir.path}/hub`);
    await waitFor("online after hub restart", async () => (await view()).connection === "online");
    const list = await hub.api<{ robots: RobotView[] }>("GET", "/api/robots");
    assert.deepEqual(
      list.body.robots.map((r) => r.id),
      [id],
    );
    const res = await hub.api<{ robot: RobotView }>("POST", `/api/robots/${id}/commands/start`, {});
    assert.equal(res.status, 200);
    assert.equal(res.body.robot.state?.status, "cleaning");
    await hub.api("POST", `/api/robots/${id}/commands/dock`, {});
  });

  it("follows a robot that comes back on another port, through mDNS", async () => {
    const oldPort = fleet.get(id).port;
    // Power-cycle onto a new port (as after a DHCP or firmware change); it re-announces itself.
    const restarted = await fleet.restart(id, { newPort: true });
    assert.ok(restarted.port > 0);
    const moved = await waitFor("hub uses the announced port", async () => {
      const v = await view();
      return v.connection === "online" && v.address.port === restarted.port ? v : null;
    });
    assert.equal(moved.address.port, restarted.port);
    assert.notEqual(restarted.port, oldPort, "the kernel gave a new port");
  });

  it("notices a half-open connection through the heartbeat and reconnects", async () => {
    const sim = fleet.get(id);
    // Freeze the robot side: it stops reading, so no pongs and no events; the socket stays "open".
    const before = hub.lines.length;
    sim.server.freezeConnections();
    const lost = await waitFor(
      "hub notices the silence",
      () => {
        const at = hub.lines.findIndex((l, i) => i >= before && l.includes("heartbeat lost"));
        return at >= 0 ? { at } : null;
      },
      10_000,
    );
    // The old link reads "online" until its close event: wait for the session that came after it.
    await waitFor("a new connection", () =>
      hub.lines.slice(lost.at).some((l) => l.includes('"robot online"')),
    );
    await waitFor("online again", async () => (await view()).connection === "online");
    const res = await hub.api("POST", `/api/robots/${id}/commands/locate`, {});
    assert.equal(res.status, 200);
    sim.server.dropConnections();
  });
});
