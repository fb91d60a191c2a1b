/**
 * The dashboard in real Chromium against a real hub and simulator (in the test runner's private network
 * namespace): onboarding creates the owner, add a robot found by mDNS with its setup code (a wrong code first: the failure is explained),
 * clean two rooms in the chosen order and watch the robot move on the map, pause, dock, and survive a hub
 * restart with a visible "reconnecting" state. Screenshots of the main pages (phone and desktop, light and
 * dark) are kept in test-artifacts/.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { RobotView } from "../../hub/core/robot-view.ts";
import { type ApiClient, OWNER, signIn } from "../support/accounts.ts";
import {
  collectPageErrors,
  DESKTOP,
  newContext,
  openPage,
  PHONE,
  screenshot,
  step,
} from "../support/browser.ts";
import { type DashboardSetting, startDashboardSetting } from "../support/dashboard.ts";
import { startTestHub, TEST_CODES, type TestHub, waitFor } from "../support/harness.ts";

describe("dashboard in Chromium", () => {
  let setting: DashboardSetting;
  let hub: TestHub;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  /** The owner's API session, once onboarding in the browser created the account. */
  let owner: ApiClient;
  const robotId = "uibot-001";

  before(async () => {
    setting = await startDashboardSetting({
      name: "ui",
      fleet: { idPrefix: "uibot", timeScale: 30 },
      hub: { onboard: false },
      pair: false,
    });
    ({ hub, browser } = setting);
    ({ context, page, errors } = await openPage(browser, hub.url, { size: DESKTOP }));
  });
  after(async () => {
    await setting?.stop();
  });

  const robot = async () => (await owner.api<RobotView>("GET", `/api/robots/${robotId}`)).body;
  const mapPose = () =>
    page
      .locator("sh-map-canvas")
      .evaluate(
        (el) => (el as unknown as { model: { robot: { x: number; y: number } | null } }).model?.robot ?? null,
      );

  it("onboarding creates the owner account and signs in", async () => {
    await step(page, "onboarding", async () => {
      await page.goto("/");
      await page.getByRole("heading", { name: "Welcome" }).waitFor();
      await screenshot(page, "onboarding-desktop-light");
      await page.getByLabel("User name").fill(OWNER.username);
      await page.getByLabel("Your name").fill("Olivia Owner");
      await page.getByLabel("Password", { exact: true }).fill(OWNER.password);
      await page.getByLabel("Repeat password").fill("not the same password");
      await page.getByRole("button", { name: "Create owner account" }).click();
      await page.getByText("The passwords do not match.").waitFor();
      await page.getByLabel("Repeat password").fill(OWNER.password);
      await page.getByRole("button", { name: "Create owner account" }).click();
      await page.getByRole("heading", { name: "No robots yet" }).waitFor();
    });
    owner = await signIn(hub.url, OWNER.username, OWNER.password);
    const me = await owner.api<{ user: { role: string; displayName: string } }>("GET", "/api/me");
    assert.equal(me.body.user.role, "owner");
    assert.equal(me.body.user.displayName, "Olivia Owner");
  });

  it("adds a robot found on the network with its setup code, explaining a wrong code", async () => {
    await step(page, "empty-overview", async () => {
      await page.goto("/");
      await page.getByRole("heading", { name: "No robots yet" }).waitFor();
      await screenshot(page, "overview-empty-desktop-light");
      await page.getByRole("link", { name: "Add a robot" }).click();
    });
    await step(page, "discovered", async () => {
      await page
        .getByRole("button", { name: /Rosie|uibot/ })
        .first()
        .click({ timeout: 20_000 });
    });
    const code = page.getByLabel("Setup code");
    await step(page, "wrong-code", async () => {
      await code.fill("1111 2222");
      await page.getByRole("button", { name: "Pair robot" }).click();
      const alert = page.getByRole("alert");
      await alert.waitFor({ timeout: 20_000 });
      assert.match((await alert.textContent()) ?? "", /Pairing failed/);
      await screenshot(page, "add-robot-wrong-code-desktop-light");
    });
    await step(page, "right-code", async () => {
      await code.fill(TEST_CODES[0]!);
      await page.getByRole("button", { name: "Pair robot" }).click();
      await page.waitForURL(`**/robots/${robotId}`, { timeout: 20_000 });
      await page.getByRole("heading", { name: "Rooms" }).waitFor();
    });
    assert.equal((await robot()).connection, "online");
  });

  it("cleans two rooms in the chosen order and the robot moves on the map", async () => {
    const rooms = (
      await owner.api<{ rooms: { id: string; name: string }[] }>("GET", `/api/robots/${robotId}/rooms`)
    ).body.rooms;
    const [first, second] = [rooms[2]!, rooms[0]!];
    await step(page, "pick-rooms", async () => {
      await page.getByRole("button", { name: first.name, exact: true }).click();
      await page.getByRole("button", { name: second.name, exact: true }).click();
      await page.getByRole("button", { name: `${first.name}, number 1 in order` }).waitFor();
      await page.getByRole("button", { name: `${second.name}, number 2 in order` }).waitFor();
    });
    const before = await mapPose();
    assert.ok(before, "the map shows the robot before it starts");
    await step(page, "clean-rooms", async () => {
      await page.getByRole("button", { name: "Clean 2 rooms in this order" }).click();
      await page.getByTestId("status").filter({ hasText: "Cleaning" }).waitFor();
    });
    assert.deepEqual((await robot()).state?.job?.rooms, [first.id, second.id]);
    await step(page, "robot-moves", async () => {
      await waitFor("the robot moves on the map", async () => {
        const now = await mapPose();
        return now && Math.hypot(now.x - before.x, now.y - before.y) > 300;
      });
      const pathPoints = await page
        .locator("sh-map-canvas")
        .evaluate((el) => (el as unknown as { model: { path: unknown[] } }).model.path.length);
      assert.ok(pathPoints > 2, "the driven path is drawn");
      await screenshot(page, "robot-cleaning-desktop-light");
    });
  });

  it("pauses and docks from the page", async () => {
    await step(page, "pause", async () => {
      await page.getByRole("button", { name: "Pause" }).click();
      await page.getByTestId("status").filter({ hasText: "Paused" }).waitFor();
    });
    assert.equal((await robot()).state?.status, "paused");
    await step(page, "dock", async () => {
      await page.getByRole("button", { name: "Dock" }).click();
      await page
        .getByTestId("status")
        .filter({ hasText: /Returning to dock|Charging|Docked/ })
        .waitFor();
    });
    await waitFor("robot docked", async () => (await robot()).state?.docked === true, 45_000);
    await page
      .getByTestId("status")
      .filter({ hasText: /Charging|Docked/ })
      .waitFor();
  });

  it("shows the robot on the overview and the main pages on a phone, light and dark", async () => {
    for (const dark of [false, true]) {
      const ctx = await newContext(browser, hub.url, { size: PHONE, dark });
      // Signed in as the owner: the same session as the desktop browser.
      await ctx.addCookies(await context.cookies());
      const phone = await ctx.newPage();
      const phoneErrors = collectPageErrors(phone);
      const theme = dark ? "dark" : "light";
      await step(phone, `phone-${theme}`, async () => {
        await phone.goto("/");
        await phone.locator("sh-robot-card").getByTestId("status").waitFor();
        await screenshot(phone, `overview-phone-${theme}`);
        await phone.goto(`/robots/${robotId}`);
        await phone.getByRole("heading", { name: "Rooms" }).waitFor();
        await screenshot(phone, `robot-phone-${theme}`);
        await phone.goto(`/robots/${robotId}/details`);
        await phone.getByRole("heading", { name: "Maintenance" }).waitFor();
        await phone.getByText("Main brush").waitFor();
        await screenshot(phone, `robot-details-phone-${theme}`);
        await phone.goto("/robots/add");
        await phone.getByRole("heading", { name: "Add a robot" }).waitFor();
        await screenshot(phone, `add-robot-phone-${theme}`);
      });
      // Answers the page handles (e.g. 409 matter_disabled for the Matter panel) are logged as failed loads.
      assert.deepEqual(
        phoneErrors.filter((e) => !/Failed to load resource/.test(e)),
        [],
      );
      await ctx.close();
    }
  });

  it("says it is reconnecting while the hub restarts, then is live again", async () => {
    await page.goto(`/robots/${robotId}`);
    await page.getByRole("heading", { name: "Rooms" }).waitFor();
    const port = hub.port;
    await hub.stop();
    await step(page, "reconnecting", async () => {
      await page.getByTestId("reconnecting").waitFor();
      await screenshot(page, "reconnecting-desktop-light");
    });
    hub = await startTestHub(`${setting.dir.path}/hub`, { overrides: { http: { host: "127.0.0.1", port } } });
    setting.hub = hub;
    await step(page, "reconnected", async () => {
      await page.getByTestId("reconnecting").waitFor({ state: "detached", timeout: 20_000 });
    });
    // Only the expected failures while the hub was down (the WebSocket and fetches) may have been logged.
    assert.deepEqual(
      errors.filter((e) => !/WebSocket|Failed to load resource|ERR_CONNECTION_REFUSED/.test(e)),
      [],
    );
  });
});
