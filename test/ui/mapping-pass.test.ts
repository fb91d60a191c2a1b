/**
 * "Map this floor" in real Chromium: an unexplored robot's map tab offers a mapping run; starting it makes the
 * status read Mapping while the map fills in; the robot docks and History lists a mapping run without a cleaned
 * area. A start refused by the robot (it is cleaning) shows the robot's reason. People who may only view the robot,
 * and robots without the capability, get no such action.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import type { RobotView } from "../../hub/core/robot-view.ts";
import type { MapJson } from "../../web/src/data/map-json.ts";
import { addUser, OWNER, USER_PASSWORD } from "../support/accounts.ts";
import {
  collectPageErrors,
  DESKTOP,
  newContext,
  openPage,
  PHONE,
  screenshot,
  signInThroughPage,
  step,
} from "../support/browser.ts";
import { type DashboardSetting, startDashboardSetting } from "../support/dashboard.ts";
import { type TestHub, waitFor } from "../support/harness.ts";

describe("mapping run in Chromium", () => {
  let setting: DashboardSetting;
  let hub: TestHub;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const robotId = "mapui-001";
  const liteId = "mapui-002";

  const knownCells = async () => {
    const m = (await hub.api<MapJson>("GET", `/api/robots/${robotId}/map`)).body;
    // Run lengths of the cell layer: [value, count, value, count, ...]; 0 is unknown.
    const runs = m.layers.cells as number[];
    let n = 0;
    for (let k = 0; k < runs.length; k += 2) if (runs[k] !== 0) n += runs[k + 1] ?? 0;
    return n;
  };
  const robotState = async (id = robotId) =>
    (await hub.api<RobotView>("GET", `/api/robots/${id}`)).body.state;

  before(async () => {
    setting = await startDashboardSetting({
      name: "ui-mapping",
      fleet: {
        idPrefix: "mapui",
        count: 2,
        advertise: false,
        timeScale: 30,
        explored: false,
        disabledCapabilities: { 1: ["mapping_pass"] },
      },
      hub: { overrides: { discovery: { enabled: false } } },
    });
    ({ hub, browser } = setting);
    const lite = await hub.api("POST", "/api/robots/pair", {
      host: "127.0.0.1",
      port: setting.fleet.robots[1]!.port,
      code: "31592047",
    });
    assert.equal(lite.status, 201, JSON.stringify(lite.body));
    ({ page, errors } = await openPage(browser, hub.url, { size: DESKTOP }));
    await signInThroughPage(page, OWNER.username, OWNER.password);
  });
  after(async () => {
    await setting?.stop();
  });

  it("starts a mapping run from the map tab: the status reads Mapping while the map fills in", async () => {
    const before = await waitFor("first map", async () => knownCells().catch(() => 0));
    await step(page, "mapping-start", async () => {
      await page.goto(`/robots/${robotId}`);
      await page.getByRole("heading", { name: "Map this floor" }).waitFor();
      await page.getByRole("button", { name: "Start mapping run" }).click();
      await page
        .getByTestId("status")
        .filter({ hasText: /^Mapping$/ })
        .waitFor();
      await page.getByRole("status").filter({ hasText: "the map fills in" }).waitFor();
      assert.equal(await page.getByRole("button", { name: "Start mapping run" }).count(), 0);
      await waitFor("the map to grow", async () => (await knownCells()) > 2 * before, 30_000);
      await screenshot(page, "mapping-run-desktop-light");
      await page.setViewportSize(PHONE);
      await page.getByRole("heading", { name: "Map this floor" }).scrollIntoViewIfNeeded();
      await screenshot(page, "mapping-run-phone-light");
      await page.setViewportSize(DESKTOP);
    });
    assert.equal((await robotState())?.job?.kind, "mapping");
    await step(page, "mapping-done", async () => {
      await waitFor(
        "the robot back on its dock",
        async () => {
          const s = await robotState();
          return s?.docked && !s.job;
        },
        90_000,
      );
      await page
        .getByTestId("status")
        .filter({ hasText: /^(Docked|Charging)$/ })
        .waitFor();
      await page.getByRole("button", { name: "Start mapping run" }).waitFor();
    });
    await step(page, "mapping-history", async () => {
      await page.getByRole("tab", { name: "History" }).click();
      const run = page.getByRole("listitem").filter({ hasText: "Mapping run" });
      await run.waitFor();
      const text = ((await run.textContent()) ?? "").replace(/\s+/g, " ");
      assert.match(text, /Completed/);
      assert.doesNotMatch(text, /m²/, "no cleaned area for a mapping run");
      await screenshot(page, "mapping-history-desktop-light");
    });
  });

  it("shows the robot's reason when it refuses (it is cleaning)", async () => {
    const started = await hub.api("POST", `/api/robots/${robotId}/commands/start`, {});
    assert.equal(started.status, 200, JSON.stringify(started.body));
    await step(page, "mapping-refused", async () => {
      await page.goto(`/robots/${robotId}`);
      await page.getByRole("button", { name: "Start mapping run" }).click();
      const box = page.locator("sh-mapping-pass sh-error-box");
      await box.getByText("The robot is busy", { exact: true }).waitFor();
      await box.getByText(/busy with a full job/).waitFor();
      await screenshot(page, "mapping-refused-desktop-light");
    });
    assert.equal((await robotState())?.status, "cleaning", "the clean goes on");
    // The browser logs the refused request (409); nothing else went wrong.
    assert.deepEqual(errors.splice(0), [
      "console: Failed to load resource: the server responded with a status of 409 (Conflict)",
    ]);
    await hub.api("POST", `/api/robots/${robotId}/commands/dock`, {});
  });

  it("is not offered for robots without a mapping pass, nor to people who may only view", async () => {
    await step(page, "mapping-lite", async () => {
      await page.goto(`/robots/${liteId}`);
      await page.getByRole("heading", { name: "Controls" }).waitFor({ state: "attached" });
      await page.getByRole("button", { name: "Start" }).first().waitFor();
      assert.equal(await page.getByRole("heading", { name: "Map this floor" }).count(), 0);
    });
    assert.ok(hub.owner);
    await addUser(hub.url, hub.owner, "viewer", "member", [{ robotId, view: true, control: false }]);
    const viewer = await newContext(browser, hub.url, { size: PHONE });
    const viewerPage = await viewer.newPage();
    const viewerErrors = collectPageErrors(viewerPage);
    await signInThroughPage(viewerPage, "viewer", USER_PASSWORD);
    await step(viewerPage, "mapping-viewer", async () => {
      await viewerPage.goto(`/robots/${robotId}`);
      await viewerPage.getByText("You can view this robot but not control it").waitFor();
      assert.equal(await viewerPage.getByRole("heading", { name: "Map this floor" }).count(), 0);
    });
    await viewer.close();
    assert.deepEqual(viewerErrors, []);
    assert.deepEqual(errors, []);
  });
});
