/**
 * Notifications in real Chromium: a finished run appears at once as a toast (role="status") and in the header's
 * count without a reload; the list (Settings → Notifications) shows it newest first; dismissing one and all
 * works from the keyboard, on a phone too, and the count follows.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { OWNER } from "../support/accounts.ts";
import { openPage, PHONE, screenshot, signInThroughPage, step } from "../support/browser.ts";
import { type DashboardSetting, startDashboardSetting } from "../support/dashboard.ts";
import { advanceFleet, type TestHub, waitFor } from "../support/harness.ts";

describe("notifications in the dashboard", () => {
  let setting: DashboardSetting;
  let hub: TestHub;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let name: string;

  before(async () => {
    setting = await startDashboardSetting({
      name: "ui-notices",
      fleet: { advertise: false },
      hub: { overrides: { discovery: { enabled: false } } },
    });
    ({ hub, browser } = setting);
    await waitFor("robot online", () => hub.robots.get(setting.robotId).state !== null);
    name = hub.robots.get(setting.robotId).name;
    ({ page, errors } = await openPage(browser, hub.url, { size: PHONE }));
  });
  after(async () => {
    await setting?.stop();
  });

  const runOnce = async () => {
    const started = await hub.api("POST", `/api/robots/${setting.robotId}/commands/clean_rooms`, {
      rooms: [{ id: "kitchen" }],
    });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    await advanceFleet(setting.fleet, 1_800_000);
  };

  it("shows a finished run at once as a toast and in the header's count", async () => {
    await step(page, "notice-toast", async () => {
      await signInThroughPage(page, OWNER.username, OWNER.password);
      await page.getByRole("link", { name: "Settings", exact: true }).waitFor();
      await runOnce();
      const toast = page.getByRole("status", { name: "Cleaning finished" });
      await toast.getByText(`${name} finished cleaning Kitchen`).waitFor({ timeout: 30_000 });
      await page.getByRole("link", { name: "Settings, 1 new notification" }).waitFor();
      await screenshot(page, "notifications-toast-phone");
      // "Later" hides the toast but keeps the notification.
      await toast.getByRole("button", { name: "Hide this notification for now" }).click();
      await toast.waitFor({ state: "detached" });
      await page.getByRole("link", { name: "Settings, 1 new notification" }).waitFor();
    });
  });

  it("lists notifications newest first; dismissing one and all works from the keyboard", async () => {
    await step(page, "notice-list", async () => {
      await runOnce();
      await page.getByRole("status", { name: "Cleaning finished" }).waitFor({ timeout: 30_000 });
      await page.getByRole("link", { name: "Settings, 2 new notifications" }).click();
      await page.waitForURL("**/settings/notifications");
      const list = page.getByRole("list", { name: "Notifications" });
      await list.getByRole("listitem").nth(1).waitFor();
      const ids = await list
        .getByRole("listitem")
        .evaluateAll((items) => items.map((i) => Number(i.dataset.notice)));
      assert.ok(ids.length >= 2);
      assert.ok(ids[0]! > ids[1]!, "newest first");
      // Dismiss the newest with the keyboard.
      const first = list.getByRole("listitem").first();
      await first.getByRole("button", { name: /^Dismiss:/ }).focus();
      await page.keyboard.press("Enter");
      await page.getByRole("link", { name: "Settings, 1 new notification" }).waitFor();
      await first.getByRole("button", { name: /^Dismiss:/ }).waitFor({ state: "detached" });
      await screenshot(page, "notifications-list-phone");
      // A third run: now two are open again and "Dismiss all" clears both.
      await runOnce();
      await page.getByRole("link", { name: "Settings, 2 new notifications" }).waitFor({ timeout: 30_000 });
      await list.getByRole("listitem").nth(2).waitFor();
      await page.getByRole("button", { name: "Dismiss all" }).click();
      await page.getByRole("link", { name: "Settings", exact: true }).waitFor();
      await page.getByText("Nothing needs your attention.").waitFor();
      const { body } = await hub.api<{ unreadNotices: number }>("GET", "/api/me");
      assert.equal(body.unreadNotices, 0);
    });
    assert.deepEqual(errors, []);
  });
});
