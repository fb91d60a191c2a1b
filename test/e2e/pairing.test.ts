/**
 * Discovery and pairing end to end: real mDNS (inside the test namespace), real TLS, the SPAKE2+ exchange,
 * rate limiting on the robot, and a robot whose identity changed.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Bonjour } from "bonjour-service";
import type { DiscoveredRobot, RobotView } from "../../hub/core/robot-view.ts";
import { shortFingerprint } from "../../integrations/sweep/protocol/identity.ts";
import { mdnsSocketOptions } from "../../integrations/sweep/protocol/mdns-options.ts";
import type { SimulatorFleet } from "../../integrations/sweep/simulator/fleet.ts";
import { startFleet, startTestHub, TEST_CODES, type TestHub, tempDir, waitFor } from "../support/harness.ts";

const WRONG_CODE = "11223344";

describe("discovery and pairing", () => {
  const dir = tempDir("pairing");
  let fleet: SimulatorFleet;
  let hub: TestHub;

  before(async () => {
    fleet = await startFleet({ dir: dir.path, count: 2, idPrefix: "pairbot" });
    hub = await startTestHub(`${dir.path}/hub`);
  });
  after(async () => {
    await hub?.stop();
    await fleet?.stop();
    dir.remove();
  });

  it("discovers robots with their TXT record over mDNS", async () => {
    const robots = await waitFor("two robots discovered", async () => {
      const { body } = await hub.api<{ robots: DiscoveredRobot[] }>("GET", "/api/discovery");
      // Other test files run their own robots in the same namespace: count only ours.
      const ours = body.robots.filter((r) => r.id.startsWith("pairbot-"));
      return ours.length === 2 ? ours : null;
    });
    const first = robots.find((r) => r.id === "pairbot-001");
    assert.ok(first, "pairbot-001 announced");
    const sim = fleet.get("pairbot-001");
    assert.equal(first.port, sim.port);
    assert.equal(first.proto, "1");
    assert.equal(first.paired, false);
    assert.equal(first.known, false);
    assert.equal(first.name, sim.name);
    assert.equal(first.model, sim.robot.info().model);
    assert.equal(first.fingerprint, shortFingerprint(sim.server.fingerprint));
  });

  it("advertises the hub itself as _sweephub._tcp for clients", async () => {
    const bonjour = new Bonjour(mdnsSocketOptions("127.0.0.1") as ConstructorParameters<typeof Bonjour>[0]);
    try {
      const browser = bonjour.find({ type: "sweephub" });
      const found = await waitFor("hub announcement", () =>
        browser.services.find((s) => s.port === hub.port),
      );
      assert.equal((found.txt as Record<string, string>).proto, "1");
    } finally {
      bonjour.destroy();
    }
  });

  it("refuses a wrong setup code with a clear error and pairs nothing", async () => {
    const res = await hub.api<{ error: { code: string; message: string } }>("POST", "/api/robots/pair", {
      robotId: "pairbot-001",
      code: WRONG_CODE,
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, "pairing_failed");
    assert.match(res.body.error.message, /setup code/);
    const list = await hub.api<{ robots: RobotView[] }>("GET", "/api/robots");
    assert.equal(list.body.robots.length, 0);
    assert.equal(fleet.get("pairbot-001").server.paired, false);
  });

  it("rejects malformed setup codes before talking to the robot", async () => {
    const res = await hub.api<{ error: { code: string } }>("POST", "/api/robots/pair", {
      robotId: "pairbot-001",
      code: "12ab",
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, "invalid_setup_code");
  });

  it("pairs with the right code (dashes allowed), then the robot is online with its state", async () => {
    const code = `${TEST_CODES[0]?.slice(0, 4)}-${TEST_CODES[0]?.slice(4)}`;
    const res = await hub.api<RobotView>("POST", "/api/robots/pair", { robotId: "pairbot-001", code });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.id, "pairbot-001");
    const view = await waitFor("robot online", async () => {
      const { body } = await hub.api<RobotView>("GET", "/api/robots/pairbot-001");
      return body.connection === "online" && body.state ? body : null;
    });
    assert.equal(view.state?.status, "docked");
    assert.ok(Object.hasOwn(view.capabilities, "basic_control"));
    assert.equal(fleet.get("pairbot-001").server.paired, true);
    // The robot re-announces itself as paired; the hub marks it as known.
    await waitFor("discovery shows paired+known", async () => {
      const { body } = await hub.api<{ robots: DiscoveredRobot[] }>("GET", "/api/discovery");
      const r = body.robots.find((x) => x.id === "pairbot-001");
      return r?.paired && r.known;
    });
  });

  it("answers already_paired for a second pairing of a healthy robot", async () => {
    const res = await hub.api<{ error: { code: string } }>("POST", "/api/robots/pair", {
      robotId: "pairbot-001",
      code: TEST_CODES[0],
    });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, "already_paired");
  });

  it("rate-limits pairing attempts on the robot after repeated wrong codes", async () => {
    for (let i = 0; i < 5; i++) {
      const res = await hub.api<{ error: { code: string } }>("POST", "/api/robots/pair", {
        robotId: "pairbot-002",
        code: WRONG_CODE,
      });
      assert.equal(res.body.error.code, "pairing_failed", `attempt ${i + 1}`);
    }
    // Even the right code is refused while the robot is locked.
    const locked = await hub.api<{ error: { code: string; details?: { retryAfterMs?: number } } }>(
      "POST",
      "/api/robots/pair",
      {
        robotId: "pairbot-002",
        code: TEST_CODES[1],
      },
    );
    assert.equal(locked.status, 429);
    assert.equal(locked.body.error.code, "pairing_rate_limited");
    assert.ok((locked.body.error.details?.retryAfterMs ?? 0) > 0);
    // After the lockout (robot time), the right code pairs.
    fleet.advance(60 * 60 * 1000);
    const ok = await hub.api<RobotView>("POST", "/api/robots/pair", {
      robotId: "pairbot-002",
      code: TEST_CODES[1],
    });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
  });

  it("refuses a robot whose certificate changed, and pairs it again with its code", async () => {
    await fleet.restart("pairbot-001", { factoryReset: true });
    const changed = await waitFor("identity_changed", async () => {
      const { body } = await hub.api<RobotView>("GET", "/api/robots/pairbot-001");
      return body.connection === "identity_changed" ? body : null;
    });
    assert.match(changed.connectionError ?? "", /pair it again/);
    const cmd = await hub.api<{ error: { code: string } }>(
      "POST",
      "/api/robots/pairbot-001/commands/locate",
      {},
    );
    assert.equal(cmd.status, 409);
    assert.equal(cmd.body.error.code, "identity_changed");
    // Survives a hub restart: still refused, not silently re-pinned.
    await hub.stop();
    hub = await startTestHub(`${dir.path}/hub`);
    const after = await hub.api<RobotView>("GET", "/api/robots/pairbot-001");
    assert.equal(after.body.connection, "identity_changed");
    // Pair again: the new certificate is pinned.
    const res = await hub.api<RobotView>("POST", "/api/robots/pair", {
      host: "127.0.0.1",
      port: fleet.get("pairbot-001").port,
      code: TEST_CODES[0],
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    await waitFor("online after re-pairing", async () => {
      const { body } = await hub.api<RobotView>("GET", "/api/robots/pairbot-001");
      return body.connection === "online";
    });
    const robots = await hub.api<{ robots: RobotView[] }>("GET", "/api/robots");
    assert.equal(robots.body.robots.filter((r) => r.id === "pairbot-001").length, 1, "no duplicate robot");
  });

  it("never writes a setup code to the log", () => {
    const all = hub.lines.join("\n");
    for (const code of TEST_CODES.slice(0, 2)) assert.ok(!all.includes(code), "setup code found in the log");
  });
});
