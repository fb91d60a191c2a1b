/**
 * Sharing a robot in real Chromium: the owner signs in, invites someone with view-only access; in a second
 * browser the invited person creates their account from the link, sees the robot and its map but cannot send
 * commands (the buttons are off and the hub refuses); the owner revokes access and the second browser loses
 * the robot live, without reloading. The owner then makes the invited person the owner (and becomes an admin).
 * Signing out ends with the sign-in page.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { OWNER, USER_PASSWORD } from "../support/accounts.ts";
import { collectPageErrors, DESKTOP, newContext, PHONE, screenshot, step } from "../support/browser.ts";
import { type DashboardSetting, startDashboardSetting } from "../support/dashboard.ts";
import { type TestHub, waitFor } from "../support/harness.ts";

describe("sharing a robot in Chromium", () => {
  let setting: DashboardSetting;
  let hub: TestHub;
  let browser: Browser;
  let ownerContext: BrowserContext;
  let guestContext: BrowserContext;
  let ownerPage: Page;
  let guestPage: Page;
  let guestErrors: string[];
  const robotId = "sharebot-001";
  let inviteLink = "";

  before(async () => {
    setting = await startDashboardSetting({
      name: "ui-share",
      fleet: { idPrefix: "sharebot", advertise: false },
      hub: { overrides: { discovery: { enabled: false } } },
    });
    ({ hub, browser } = setting);
    ownerContext = await newContext(browser, hub.url, { size: DESKTOP });
    guestContext = await newContext(browser, hub.url, { size: PHONE, dark: true });
    ownerPage = await ownerContext.newPage();
    guestPage = await guestContext.newPage();
    guestErrors = collectPageErrors(guestPage);
  });
  after(async () => {
    await setting?.stop();
  });

  it("the owner signs in (a wrong password is explained) and invites someone with view-only access", async () => {
    await step(ownerPage, "sign-in", async () => {
      await ownerPage.goto("/");
      await ownerPage.getByRole("heading", { name: "Sign in" }).waitFor();
      await ownerPage.getByLabel("User name").fill(OWNER.username);
      await ownerPage.getByLabel("Password").fill("not the password at all");
      await ownerPage.getByRole("button", { name: "Sign in" }).click();
      await ownerPage.getByRole("alert").waitFor();
      await screenshot(ownerPage, "sign-in-failed-desktop-light");
      await ownerPage.getByLabel("Password").fill(OWNER.password);
      await ownerPage.getByRole("button", { name: "Sign in" }).click();
      await ownerPage.locator("sh-robot-card").getByTestId("status").waitFor();
    });
    await step(ownerPage, "invite", async () => {
      await ownerPage.getByRole("link", { name: "Settings" }).click();
      await ownerPage.getByRole("link", { name: "People" }).click();
      await ownerPage.getByLabel("Invitation access to Rosie").selectOption("view");
      await ownerPage.getByLabel("Note").fill("for Gus");
      await ownerPage.getByRole("button", { name: "Create invitation" }).click();
      inviteLink = ((await ownerPage.getByTestId("invite-link").textContent()) ?? "").trim();
      await screenshot(ownerPage, "settings-people-desktop-light");
    });
    assert.match(inviteLink, /\/invite#/);
  });

  it("the invited person sees the robot and its map but cannot send commands", async () => {
    await step(guestPage, "accept", async () => {
      await guestPage.goto(inviteLink.replace(hub.url, ""));
      await guestPage.getByRole("heading", { name: "You are invited" }).waitFor();
      await guestPage.getByText("Rosie: view only").waitFor();
      await screenshot(guestPage, "invitation-phone-dark");
      await guestPage.getByLabel("User name").fill("gus");
      await guestPage.getByLabel("Password", { exact: true }).fill(USER_PASSWORD);
      await guestPage.getByLabel("Repeat password").fill(USER_PASSWORD);
      await guestPage.getByRole("button", { name: "Create my account" }).click();
      await guestPage.locator("sh-robot-card").getByTestId("status").waitFor();
    });
    const card = guestPage.locator("sh-robot-card");
    assert.equal(await card.getByRole("button").count(), 0, "no quick actions on a view-only card");
    assert.equal(
      await guestPage.getByRole("link", { name: "Add robot" }).count(),
      0,
      "members do not add robots",
    );
    await step(guestPage, "robot-view-only", async () => {
      await card.getByRole("link", { name: "Rosie" }).click();
      await guestPage.locator("sh-map-canvas").waitFor();
      await guestPage.getByText(/You can view this robot but not control it/).waitFor();
      assert.equal(await guestPage.getByRole("button", { name: "Start" }).count(), 0, "no controls");
      await screenshot(guestPage, "robot-view-only-phone-dark");
    });
    const pose = await guestPage
      .locator("sh-map-canvas")
      .evaluate((el) => (el as unknown as { model: { robot: unknown } }).model.robot);
    assert.ok(pose, "the map shows the robot");
    const refused = await guestPage.evaluate(async (id) => {
      const csrf = /sweephub_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? "";
      const res = await fetch(`/api/robots/${id}/commands/start`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": decodeURIComponent(csrf) },
        body: "{}",
      });
      return res.status;
    }, robotId);
    assert.equal(refused, 403, "the hub refuses a command from a view-only user");
  });

  it("revoking access takes the robot away from the open page, live", async () => {
    await step(ownerPage, "revoke", async () => {
      await ownerPage.reload();
      await ownerPage.getByLabel("Access of gus to Rosie").selectOption("none");
    });
    await step(guestPage, "lost-access", async () => {
      await guestPage.getByRole("heading", { name: "Robot not found" }).waitFor({ timeout: 15_000 });
      await screenshot(guestPage, "robot-access-revoked-phone-dark");
    });
    await waitFor("the overview has no robot", async () => {
      await guestPage.goto("/");
      return (await guestPage.locator("sh-robot-card").count()) === 0;
    });
    assert.deepEqual(
      guestErrors.filter((e) => !/Failed to load resource|WebSocket/.test(e)),
      [],
    );
  });

  it("settings: preferences apply, a token is shown once, the audit log filters, privacy explains", async () => {
    await step(ownerPage, "settings-profile", async () => {
      await ownerPage.goto("/settings/profile");
      await ownerPage.getByLabel("Theme").selectOption("dark");
      await ownerPage.getByRole("button", { name: "Save profile" }).click();
      await ownerPage.getByText("Saved.").waitFor();
      assert.equal(await ownerPage.evaluate(() => document.documentElement.dataset.theme), "dark");
      await screenshot(ownerPage, "settings-profile-desktop-dark");
      await ownerPage.getByLabel("Theme").selectOption("system");
      await ownerPage.getByRole("button", { name: "Save profile" }).click();
      await ownerPage.getByText("Saved.").waitFor();
      assert.equal(await ownerPage.evaluate(() => document.documentElement.dataset.theme), undefined);
    });
    await step(ownerPage, "settings-security", async () => {
      await ownerPage.getByRole("link", { name: "Security" }).click();
      await ownerPage.getByRole("heading", { name: "Where you are signed in" }).waitFor();
      await ownerPage.getByText("This browser").waitFor();
      await ownerPage.getByLabel("Name").fill("Home Assistant");
      await ownerPage.getByRole("button", { name: "Create token" }).click();
      const token = ((await ownerPage.getByTestId("new-token").textContent()) ?? "").trim();
      const me = await fetch(`${hub.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(me.status, 200, "the new token works");
      await screenshot(ownerPage, "settings-security-desktop-light");
      await ownerPage.getByRole("button", { name: "Done" }).click();
      await ownerPage.getByRole("button", { name: "Revoke token Home Assistant" }).click();
      await waitFor("the token is revoked", async () => {
        const res = await fetch(`${hub.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
        return res.status === 401;
      });
    });
    await step(ownerPage, "settings-audit", async () => {
      await ownerPage.getByRole("link", { name: "Audit log" }).click();
      await ownerPage.getByRole("cell", { name: "Signed in" }).first().waitFor();
      await ownerPage.getByLabel("What").selectOption("token.");
      await ownerPage.getByRole("button", { name: "Filter" }).click();
      await ownerPage.getByRole("cell", { name: "Created an API token" }).first().waitFor();
      assert.equal(await ownerPage.getByRole("cell", { name: "Signed in" }).count(), 0, "filtered");
      await screenshot(ownerPage, "settings-audit-desktop-light");
    });
    await step(ownerPage, "settings-privacy", async () => {
      await ownerPage.getByRole("link", { name: "Privacy and data" }).click();
      await ownerPage.getByRole("heading", { name: "What this hub stores" }).waitFor();
      await ownerPage.getByText(/sends nothing to any cloud/).waitFor();
      const href = await ownerPage.getByRole("link", { name: "Download my data" }).getAttribute("href");
      const zip = await ownerPage.evaluate(async (url) => {
        const res = await fetch(url);
        return { status: res.status, type: res.headers.get("content-type") };
      }, href!);
      assert.deepEqual(zip, { status: 200, type: "application/zip" });
      await screenshot(ownerPage, "settings-privacy-desktop-light");
    });
  });

  it("the owner makes gus the owner after a dialog that says what happens, and becomes an admin", async () => {
    await step(ownerPage, "transfer-ownership", async () => {
      await ownerPage.goto("/settings/people");
      await ownerPage.getByRole("button", { name: "Make gus the owner" }).click();
      const dialog = ownerPage.getByRole("dialog", { name: "Make gus the owner?" });
      await dialog.getByText("You become an admin.").waitFor();
      // A mistyped password is explained and changes nothing; the owner stays signed in.
      await dialog.getByLabel("Your password").fill("not the password at all");
      await dialog.getByRole("button", { name: "Make gus the owner" }).click();
      await ownerPage.getByRole("alert").getByText("The password is wrong").waitFor();
      await ownerPage.getByRole("heading", { name: "People" }).waitFor();
      await ownerPage.getByRole("button", { name: "Make gus the owner" }).click();
      await dialog.getByLabel("Your password").fill(OWNER.password);
      await screenshot(ownerPage, "settings-transfer-ownership-desktop-light");
      await dialog.getByRole("button", { name: "Make gus the owner" }).click();
      await ownerPage.locator('[data-user="gus"]').getByText("owner", { exact: true }).waitFor();
    });
    const users = await hub.api("GET", "/api/users");
    const roles = Object.fromEntries(
      (users.body as { users: { username: string; role: string }[] }).users.map((u) => [u.username, u.role]),
    );
    assert.equal(roles.gus, "owner");
    assert.equal(roles[OWNER.username], "admin");
    assert.equal(
      await ownerPage.getByRole("button", { name: /the owner$/ }).count(),
      0,
      "an admin is not offered to transfer ownership",
    );
  });

  it("signing out returns to the sign-in page", async () => {
    await step(ownerPage, "sign-out", async () => {
      await ownerPage.getByRole("button", { name: /Sign out/ }).click();
      await ownerPage.getByRole("heading", { name: "Sign in" }).waitFor();
      await ownerPage.goto("/settings/profile");
      await ownerPage.getByRole("heading", { name: "Sign in" }).waitFor();
    });
  });
});
