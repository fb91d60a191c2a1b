/**
 * Risk control on the pairing endpoint: each robot limits wrong setup codes itself, and the hub adds a lockout
 * per address and per user across robots, so someone cycling through robots cannot keep guessing.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { SimulatorFleet } from "../../integrations/sweep/simulator/fleet.ts";
import { startFleet, startTestHub, TEST_CODES, type TestHub, tempDir } from "../support/harness.ts";

type Err = { error: { code: string; details?: { retryAfterS?: number } } };

describe("pairing lockout across robots", () => {
  const dir = tempDir("pairlock");
  let fleet: SimulatorFleet;
  let hub: TestHub;

  before(async () => {
    fleet = await startFleet({
      dir: dir.path,
      count: 3,
      idPrefix: "lock",
      advertise: false,
      plans: ["apartment"],
    });
    hub = await startTestHub(`${dir.path}/hub`);
  });
  after(async () => {
    await hub?.stop();
    await fleet?.stop();
    dir.remove();
  });

  it("locks the caller out after 10 wrong codes spread over robots, and audits every attempt", async () => {
    const wrong = "11111111";
    assert.notEqual(wrong, TEST_CODES[0]);
    let attempts = 0;
    // Four per robot: below each robot's own limit (five), so only the hub's lockout can stop the caller.
    for (const sim of fleet.robots) {
      for (let i = 0; i < 4 && attempts < 10; i++, attempts++) {
        const res = await hub.api<Err>("POST", "/api/robots/pair", {
          host: "127.0.0.1",
          port: sim.port,
          code: wrong,
        });
        assert.equal(res.body.error.code, "pairing_failed", `attempt ${attempts + 1}`);
      }
    }
    const sim = fleet.robots[2]!;
    const locked = await hub.api<Err>("POST", "/api/robots/pair", {
      host: "127.0.0.1",
      port: sim.port,
      code: TEST_CODES[2],
    });
    assert.equal(locked.status, 429);
    assert.equal(locked.body.error.code, "too_many_attempts");
    assert.equal(locked.body.error.details?.retryAfterS, 30);
    const audit = await hub.api<{ entries: { outcome: string }[] }>(
      "GET",
      "/api/audit?action=robot.paired&limit=50",
    );
    assert.equal(audit.body.entries.filter((e) => e.outcome === "failed").length, 10);
  });
});
