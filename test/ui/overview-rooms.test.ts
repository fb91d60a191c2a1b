/**
 * Room names on the robots overview in real Chromium: each card says which room its robot is in by name (the
 * hub's map), also for a robot without room cleaning (it has no room list of its own) and for a robot that went
 * offline before the page was opened; the cleaning history names the rooms a run cleaned.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import type { RobotView } from "../../hub/core/robot-view.ts";
import { OWNER } from "../support/accounts.ts";
import { DESKTOP, newContext, screenshot, signInThroughPage, step } from "../support/browser.ts";
import { type DashboardSetting, startDashboardSetting } from "../support/dashboard.ts";
import { advanceFleet, TEST_CODES, type TestHub, waitFor } from "../support/harness.ts";

describe("room names on the robots overview", () => {
  let setting: DashboardSetting;
  let hub: TestHub;
  let browser: Browser;
  let page: Page;
  const names = new Map<string, string>();

  before(async () => {
    setting = await startDashboardSetting({
      name: "ui-rooms",
      fleet: {
        count: 2,
        idPrefix: "roombot",
        advertise: false,
        plans: ["apartment", "loft"],
        disabledCapabilities: { 0: ["room_cleaning"] },
      },
      hub: { overrides: { discovery: { enabled: false } } },
    });
    ({ hub, browser } = setting);
    const second = await hub.api("POST", "/api/robots/pair", {
      host: "127.0.0.1",
      port: setting.fleet.robots[1]!.port,
      code: TEST_CODES[1],
    });
    assert.equal(second.status, 201, JSON.stringify(second.body));
    // Both robots online with a state, and the hub holds both maps (the overview reads names from them).
    await waitFor("both robots online with maps", async () => {
      const { robots } = (await hub.api("GET", "/api/robots")).body as { robots: RobotView[] };
      for (const r of robots) names.set(r.id, r.name);
      if (robots.length !== 2 || robots.some((r) => r.connection !== "online" || !r.state?.currentRoom)) {
        return false;
      }
      for (const r of robots)
        if ((await hub.api("GET", `/api/robots/${r.id}/map`)).status !== 200) return false;
      return true;
    });
    page = await (await newContext(browser, hub.url, { size: DESKTOP })).newPage();
  });
  after(async () => {
    await setting?.stop();
  });

  const roomOf = (robotId: string) =>
    page
      .locator("sh-robot-card")
      .filter({ has: page.getByRole("link", { name: names.get(robotId)! }) })
      .getByTestId("room");

  it("names the room of each robot, including one without room cleaning", async () => {
    await step(page, "overview-rooms", async () => {
      await signInThroughPage(page, OWNER.username, OWNER.password);
      await roomOf("roombot-001").getByText("In Living room").waitFor();
      await roomOf("roombot-002").getByText("In Living area").waitFor();
      await screenshot(page, "overview-rooms-desktop-light");
    });
  });

  it("the cleaning history names the rooms cleaned", async () => {
    const started = await hub.api("POST", "/api/robots/roombot-002/commands/clean_rooms", {
      rooms: [{ id: "kitchen_area" }],
    });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    // Rooms are recorded when the run ends: move simulated time on rather than wait for it.
    await advanceFleet(setting.fleet, 1_800_000);
    await waitFor(
      "the run recorded with its room",
      async () => {
        const h = (await hub.api("GET", "/api/robots/roombot-002/history")).body as {
          sessions: { finishedAt: number | null; rooms: unknown[] }[];
        };
        return h.sessions.some((x) => x.finishedAt !== null && x.rooms.length > 0);
      },
      45_000,
    );
    await step(page, "history-rooms", async () => {
      await page.goto("/robots/roombot-002/history");
      await page.getByRole("list", { name: "Cleaning history" }).getByText("Kitchen area").waitFor();
    });
  });

  it("names the room of a robot that is offline when the page opens", async () => {
    // The robot without room cleaning, docked in its living room: only the hub's map knows the room's name.
    const sim = setting.fleet.get("roombot-001");
    sim.server.dropConnections();
    await sim.server.stop();
    await waitFor("the hub sees the robot offline", async () => {
      const r = (await hub.api("GET", "/api/robots/roombot-001")).body as RobotView;
      return r.connection !== "online";
    });
    await step(page, "overview-rooms-offline", async () => {
      await page.goto("/");
      await roomOf("roombot-001").getByText("In Living room").waitFor();
      await screenshot(page, "overview-rooms-offline-desktop-light");
    });
  });
});
