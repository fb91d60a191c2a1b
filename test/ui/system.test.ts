/**
 * The System settings page in real Chromium, as the hub's owner: the health checks are shown, changing the log
 * level reaches the hub, the log viewer shows the hub's recent (redacted) lines newest first and filters them,
 * and "Back up now" writes a backup whose download link answers with a gzip archive. Phone and desktop.
 */
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import type { BrowserContext, Page } from "playwright-core";
import { createLogger } from "../../hub/logging.ts";
import { LogBuffer } from "../../hub/ops/log-buffer.ts";
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
import { waitFor } from "../support/harness.ts";

describe("System settings in Chromium", () => {
  let setting: DashboardSetting;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  const logs = new LogBuffer(500);

  before(async () => {
    const sink = new Writable({ write: (_c, _e, cb) => cb() });
    setting = await startDashboardSetting({
      name: "ui-system",
      fleet: { idPrefix: "sysbot", advertise: false },
      hub: {
        log: createLogger({ level: "info", destination: sink, pretty: false, tee: logs }),
        logBuffer: logs,
        env: {
          SWEEPHUB_DISCOVERY_INTERFACE: "127.0.0.1",
          SWEEPHUB_BACKUP_SCHEDULE: "off",
          SWEEPHUB_MATTER_ENABLED: "false",
        },
        overrides: { discovery: { enabled: false } },
      },
    });
    ({ context, page, errors } = await openPage(setting.browser, setting.hub.url, { size: DESKTOP }));
  });
  after(async () => {
    await setting?.stop();
  });

  it("the owner opens System and sees the hub's health", async () => {
    await step(page, "open-system", async () => {
      await signInThroughPage(page, OWNER.username, OWNER.password);
      await page.getByRole("link", { name: "Settings" }).click();
      await page.getByRole("link", { name: "System" }).click();
      await page.getByRole("heading", { name: "Health" }).waitFor();
      await page.getByTestId("ready").getByText("Ready", { exact: true }).waitFor();
    });
    const checks = await page.getByRole("list", { name: "Readiness checks" }).textContent();
    assert.match(checks ?? "", /Database: OK/);
    assert.match(checks ?? "", /Database schema up to date: OK/);
  });

  it("changing the log level reaches the hub", async () => {
    await step(page, "log-level", async () => {
      const select = page.getByRole("combobox", { name: "Hub log level" });
      await waitFor("the current level", async () => (await select.inputValue()) === "info");
      await select.selectOption("debug");
      await page.getByText("Log level is now debug.").waitFor();
    });
    const res = await setting.hub.api<{ level: string }>("GET", "/api/system/log-level");
    assert.equal(res.status, 200);
    assert.equal(res.body.level, "debug");
  });

  it("the log viewer shows recent lines, newest first, and filters them", async () => {
    await step(page, "logs", async () => {
      await page.getByRole("button", { name: "Refresh" }).click();
      const lines = page.getByTestId("log-line");
      // The level change above is logged by the hub, so it is among the newest lines.
      await lines.filter({ hasText: "log level changed" }).first().waitFor();
      assert.ok((await lines.count()) > 1);
      const times = await lines
        .locator("time")
        .evaluateAll((els) => els.map((el) => Date.parse(el.getAttribute("datetime") ?? "")));
      assert.deepEqual(
        times,
        [...times].sort((x, y) => y - x),
        "newest first",
      );
      await page.getByLabel("Show lines containing").fill("log level changed");
      await waitFor("only matching lines", async () => {
        const texts = await lines.allTextContents();
        return texts.length > 0 && texts.every((t) => t.includes("log level changed"));
      });
      await lines.first().getByText("Details").click();
      await lines.first().locator("pre").getByText('"previous": "info"').waitFor();
      await page.getByLabel("Show lines containing").fill("");
      await page.getByLabel("Show lines of at least").selectOption("warn");
      await waitFor("no info lines", async () => {
        const texts = await lines.allTextContents();
        return texts.every((t) => !t.includes("log level changed"));
      });
      await page.getByLabel("Show lines of at least").selectOption("");
      await lines.filter({ hasText: "log level changed" }).first().waitFor();
      // Following: a line the hub writes now shows up without Refresh.
      await page.getByLabel("Follow: add new lines as they are written").check();
      const put = await setting.hub.api("PUT", "/api/system/log-level", { level: "info" });
      assert.equal(put.status, 200);
      await page.getByLabel("Show lines containing").fill('"previous": "debug"');
      await lines.first().waitFor();
      await page.getByLabel("Show lines containing").fill("");
      await page.getByLabel("Follow: add new lines as they are written").uncheck();
    });
    const seqs = logs.query({ limit: 1000 }).map((e) => e.seq);
    assert.ok(seqs.length > 1, "the hub kept log lines");
  });

  it("Back up now adds a backup whose download answers with a gzip archive", async () => {
    let href = "";
    await step(page, "backup", async () => {
      const rows = page.getByTestId("backup");
      await page.getByRole("heading", { name: "Backups" }).waitFor();
      const before = await rows.count();
      await page.getByRole("button", { name: "Back up now" }).click();
      await page.getByText(/Backup written: sweephub-/).waitFor({ timeout: 60_000 });
      await waitFor("the new backup in the list", async () => (await rows.count()) === before + 1);
      const link = page.locator("li.fresh").getByRole("link", { name: /Download/ });
      href = (await link.getAttribute("href")) ?? "";
      await screenshot(page, "settings-system-desktop-light");
    });
    assert.match(href, /^\/api\/system\/backups\/sweephub-.*\.tar\.gz$/);
    // The link as the browser follows it, with the owner's session cookie.
    const res = await context.request.get(href);
    assert.equal(res.status(), 200);
    assert.equal(res.headers()["content-type"], "application/gzip");
    const body = await res.body();
    assert.deepEqual([...body.subarray(0, 2)], [0x1f, 0x8b], "a gzip stream");
    const listed = await setting.hub.api<{ backups: { name: string }[] }>("GET", "/api/system/backups");
    assert.ok(listed.body.backups.some((b) => href.endsWith(b.name)));
  });

  it("reads well on a phone in the dark", async () => {
    const phone = await newContext(setting.browser, setting.hub.url, { size: PHONE, dark: true });
    const phonePage = await phone.newPage();
    const phoneErrors = collectPageErrors(phonePage);
    await step(phonePage, "phone", async () => {
      await signInThroughPage(phonePage, OWNER.username, OWNER.password);
      await phonePage.goto("/settings/system");
      await phonePage.getByTestId("log-line").first().waitFor();
      await phonePage.getByTestId("backup").first().waitFor();
      await screenshot(phonePage, "settings-system-phone-dark");
      const overflow = await phonePage.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
    });
    await phone.close();
    assert.deepEqual(phoneErrors, []);
    assert.deepEqual(errors, []);
  });

  it("an admin who is not the owner has no System tab, and the page says why", async () => {
    const owner = setting.hub.owner;
    assert.ok(owner);
    const ada = await addUser(setting.hub.url, owner, "ada", "admin");
    const adminContext = await newContext(setting.browser, setting.hub.url, { size: DESKTOP });
    const adminPage = await adminContext.newPage();
    await step(adminPage, "admin", async () => {
      await signInThroughPage(adminPage, "ada", USER_PASSWORD);
      await adminPage.goto("/settings/people");
      const nav = adminPage.getByRole("navigation", { name: "Settings sections" });
      await nav.getByRole("link", { name: "People" }).waitFor();
      assert.equal(await nav.getByRole("link", { name: "System" }).count(), 0);
      await adminPage.goto("/settings/system");
      await adminPage.getByText("Only the hub's owner manages the system.").waitFor();
    });
    await adminContext.close();
    // The hub refuses too, whatever the dashboard shows.
    assert.equal((await ada.api("GET", "/api/system/log-level")).status, 403);
    assert.equal((await ada.api("POST", "/api/system/backups")).status, 403);
  });
});
