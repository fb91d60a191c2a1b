/**
 * The setting of every dashboard test: a simulator fleet, a real hub (its owner onboarded unless asked not
 * to), optionally the first robot paired, and a headless Chromium; `stop()` takes it all down again.
 */
import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import type { FleetOptions, SimulatorFleet } from "../../integrations/sweep/simulator/fleet.ts";
import { launchBrowser } from "./browser.ts";
import { startFleet, startTestHub, TEST_CODES, type TestHub, tempDir } from "./harness.ts";

export interface DashboardSetting {
  dir: { path: string; remove(): void };
  fleet: SimulatorFleet;
  /** Replaceable: a test that restarts the hub puts the new one here so `stop()` stops it. */
  hub: TestHub;
  browser: Browser;
  /** Id of the fleet's first robot. */
  robotId: string;
  stop(): Promise<void>;
}

export async function startDashboardSetting(options: {
  name: string;
  fleet?: Partial<FleetOptions>;
  hub?: Parameters<typeof startTestHub>[1];
  /** Pair the first robot through the API before the browser starts (default true). */
  pair?: boolean;
}): Promise<DashboardSetting> {
  const dir = tempDir(options.name);
  const idPrefix = options.fleet?.idPrefix ?? `${options.name.replace(/[^a-z]/g, "")}bot`;
  const fleet = await startFleet({
    dir: dir.path,
    count: 1,
    idPrefix,
    plans: ["apartment"],
    ...options.fleet,
  });
  const hub = await startTestHub(`${dir.path}/hub`, options.hub);
  if (options.pair ?? true) {
    const paired = await hub.api("POST", "/api/robots/pair", {
      host: "127.0.0.1",
      port: fleet.robots[0]!.port,
      code: TEST_CODES[0],
    });
    assert.equal(paired.status, 201, JSON.stringify(paired.body));
  }
  const setting: DashboardSetting = {
    dir,
    fleet,
    hub,
    browser: await launchBrowser(),
    robotId: `${idPrefix}-001`,
    stop: async () => {
      await setting.browser.close();
      await setting.hub.stop();
      await fleet.stop();
      dir.remove();
    },
  };
  return setting;
}
