/**
 * The Matter panel in real Chromium, with the hub's real Matter server: the owner sees the robot's QR code and
 * its manual pairing code (the same one the API gives) while it is waiting to be added to a smart home app.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import type { MatterNode } from "../../web/src/data/matter-api.ts";
import { OWNER } from "../support/accounts.ts";
import { newContext, PHONE, screenshot, signInThroughPage, step } from "../support/browser.ts";
import { type DashboardSetting, startDashboardSetting } from "../support/dashboard.ts";
import { type TestHub, waitFor } from "../support/harness.ts";

describe("Matter panel in Chromium", () => {
  let setting: DashboardSetting;
  let hub: TestHub;
  let browser: Browser;
  const robotId = "matterui-001";

  before(async () => {
    setting = await startDashboardSetting({
      name: "ui-matter",
      fleet: { idPrefix: "matterui", advertise: false },
      hub: {
        env: { SWEEPHUB_DISCOVERY_INTERFACE: "127.0.0.1" },
        overrides: {
          http: { host: "127.0.0.1", port: 0 },
          discovery: { enabled: false },
          matter: { enabled: true, networkInterface: "lo", basePort: 5940 },
        },
      },
    });
    ({ hub, browser } = setting);
  });
  after(async () => {
    await setting?.stop();
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
