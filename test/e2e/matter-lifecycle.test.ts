/**
 * The Matter worker's life: removing a node's only controller (the node factory-resets and comes back
 * commissionable), a clean stop afterwards with nothing of matter.js left open, and a worker crash the hub
 * survives (reported as failed, restarted with backoff, nodes back). Real matter.js controller, real mDNS on lo
 * inside the test runner's private network namespace.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Logger, LogLevel } from "@matter/main";
import type { MatterNodeInfo, MatterStatus } from "../../hub/matter/matter-types.ts";
import type { SimulatorFleet } from "../../integrations/sweep/simulator/fleet.ts";
import { startFleet, startTestHub, type TestHub, tempDir, waitFor } from "../support/harness.ts";
import {
  commissionWithCode,
  matterHubOptions,
  pairForMatter,
  startController,
} from "../support/matter-controller.ts";

Logger.level = LogLevel.WARN;

describe("Matter worker lifecycle", { timeout: 120_000 }, () => {
  const dir = tempDir("matter-life");
  const id = "lifebot-001";
  let fleet: SimulatorFleet;
  let hub: TestHub;

  const nodeInfo = async () => {
    const res = await hub.api<MatterNodeInfo>("GET", `/api/robots/${id}/matter`);
    return res.status === 200 ? res.body : null;
  };

  before(async () => {
    fleet = await startFleet({ dir: dir.path, idPrefix: "lifebot", timeScale: 50, advertise: false });
    hub = await startTestHub(join(dir.path, "hub"), matterHubOptions(16540));
    await pairForMatter(hub, fleet, id, join(dir.path, "controller"));
  });

  after(async () => {
    await hub?.stop();
    await fleet?.stop();
    dir.remove();
  });

  it("follows a runtime change of the hub's log level (matter.js's own debug output appears at trace)", async () => {
    const isMatterTrace = (line: string) =>
      line.includes('"level":10') && line.includes('"service":"matter"');
    // The test hub logs at debug: matter.js's debug output stays in the worker.
    assert.equal(hub.lines.filter(isMatterTrace).length, 0);
    const res = await hub.api("PUT", "/api/system/log-level", { level: "trace" });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    try {
      await waitFor("matter.js debug lines at trace", () => hub.lines.some(isMatterTrace), 30_000);
    } finally {
      await hub.api("PUT", "/api/system/log-level", { level: "debug" });
    }
  });

  it("a worker crash is reported, the hub keeps running, and Matter comes back on its own", async () => {
    await waitFor("node commissionable", async () => (await nodeInfo())?.commissionable === true);
    hub.matter.crashWorkerForTests();
    const failed = await waitFor(
      "failed reported",
      async () => {
        const s = (await hub.api<MatterStatus>("GET", "/api/matter")).body;
        return s.state === "failed" ? s : null;
      },
      30_000,
    );
    assert.match(failed.error ?? "", /crash requested by a test/);
    const ready = await hub.api<{ checks: Record<string, boolean> }>("GET", "/api/ready");
    assert.equal(ready.status, 503);
    assert.equal(ready.body.checks.matter, false);
    const unavailable = await hub.api<{ error: { code: string } }>("GET", `/api/robots/${id}/matter`);
    assert.equal(unavailable.status, 503);
    assert.equal(unavailable.body.error.code, "matter_unavailable");
    // The rest of the hub is unaffected.
    assert.equal((await hub.api("POST", `/api/robots/${id}/commands/locate`, {})).status, 200);
    const back = await waitFor(
      "restarted",
      async () => {
        const s = (await hub.api<MatterStatus>("GET", "/api/matter")).body;
        return s.state === "running" ? s : null;
        // Loading matter.js again takes a few seconds, much longer on a busy 2-core machine.
      },
      90_000,
    );
    assert.equal(back.error, null);
    assert.equal((await hub.api("GET", "/api/ready")).status, 200);
    assert.equal((await waitFor("node back", nodeInfo, 30_000)).commissionable, true);
    assert.ok(hub.lines.some((l) => l.includes("Matter stopped unexpectedly; restarting it")));
  });

  it("removing the only controller resets the node to commissionable with a working code; the hub then stops cleanly", async () => {
    const controller = await startController("life-controller", "only home app");
    try {
      const first = await waitFor("commissionable", async () => {
        const n = await nodeInfo();
        return n?.commissionable ? n : null;
      });
      await commissionWithCode(controller, first.manualPairingCode as string);
      const added = await nodeInfo();
      assert.equal(added?.fabrics.length, 1);
      const fabricIndex = added?.fabrics[0]?.fabricIndex;
      const removed = await hub.api<MatterNodeInfo>(
        "DELETE",
        `/api/robots/${id}/matter/fabrics/${fabricIndex}`,
      );
      assert.equal(removed.status, 200, JSON.stringify(removed.body));
      assert.deepEqual(removed.body.fabrics, []);
      assert.equal(removed.body.commissioned, false);
      assert.equal(removed.body.commissionable, true);
      assert.match(removed.body.manualPairingCode ?? "", /^\d{11}$/);
      // The reset node really is addable again: a controller commissions it with the code the hub shows now.
      await commissionWithCode(controller, removed.body.manualPairingCode as string);
      assert.equal((await nodeInfo())?.fabrics.length, 1);
    } finally {
      await controller.close();
    }
    await hub.stop();
    // Nothing of matter.js (mDNS and node UDP sockets, timers) is left open: the worker thread ended by itself.
    assert.deepEqual(hub.matter.lastStop, { leftover: [], exitedByItself: true });
  });
});
