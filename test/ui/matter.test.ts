/**
 * The Matter panel in real Chromium, with the hub's real Matter server: the owner sees the robot's QR code and
 * its manual pairing code (the same one the API gives) while it is waiting to be added to a smart home app.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import type { SimulatorFleet } from "../../integrations/sweep/simulator/fleet.ts";
import type { MatterNode } from "../../web/src/data/matter-api.ts";
import { OWNER } from "../support/accounts.ts";
import { launchBrowser, newContext, PHONE, screenshot, signInThroughPage, step } from "../support/browser.ts";
import { startFleet, startTestHub, TEST_CODES, type TestHub, tempDir, waitFor } from "../support/harness.ts";

describe("Matter panel in Chromium", () => {
  const dir = tempDir("ui-matter");
  let fleet: SimulatorFleet;
  let hub: TestHub;
  let browser: Browser;
  const robotId = "matterui-001";

  before(async () => {
    fleet = await startFleet({
      dir: dir.path,
      count: 1,
      idPrefix: "matterui",
      advertise: false,
      plans: ["apartment"],
    });
    hub = await startTestHub(`${dir.path}/hub`, {
      env: { SWEEPHUB_DISCOVERY_INTERFACE: "127.0.0.1" },
      overrides: {
        http: { host: "127.0.0.1", port: 0 },
        discovery: { enabled: false },
        matter: { enabled: true, networkInterface: "lo", basePort: 5940 },
      },
    });
    const paired = await hub.api("POST", "/api/robots/pair", {
      host: "127.0.0.1",
      port: fleet.robots[0]!.port,
      code: TEST_CODES[0],
    });
    assert.equal(paired.status, 201, JSON.stringify(paired.body));
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await hub?.stop();
    await fleet?.stop();
    dir.remove();
  });

  it("shows the QR code and the manual code while the robot waits for a controller", async () => {
    const node = await waitFor(
      "the robot's Matter node",
      async () => {
        const res = await hub.api<MatterNode>("GET", `/api/robots/${robotId}/matter`);
        return res.status === 200 && res.body.manualPairingCode ? res.body : null;
      },
      30_000,
    );
    const context = await newContext(browser, hub.url, { size: PHONE });
    const page = await context.newPage();
    await signInThroughPage(page, OWNER.username, OWNER.password);
    await step(page, "matter-panel", async () => {
      await page.goto(`/robots/${robotId}/details`);
      await page.getByRole("heading", { name: "Smart home (Matter)" }).waitFor();
      const code = ((await page.getByTestId("matter-code").textContent()) ?? "").trim();
      assert.equal(code.replace(/-/g, ""), node.manualPairingCode);
      const qr = page.getByRole("img", { name: /Matter QR code/ });
      await qr.waitFor();
      assert.ok(
        await qr.evaluate((img) => (img as HTMLImageElement).naturalWidth > 100),
        "the QR image decoded",
      );
      await screenshot(page, "matter-panel-phone-light");
    });
    await context.close();
  });
});
