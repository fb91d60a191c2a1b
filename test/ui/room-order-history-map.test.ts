/**
 * Room order and the history's maps in real Chromium. Rooms are reordered with the move buttons (mouse and
 * keyboard); the order reaches the hub, stays after a reload and is the order of the room picker and of "All
 * rooms"; a save the hub cannot take (it is down) puts the list back and says why. A finished run opens its map
 * as it was (rooms and the path it drove, drawn on the canvas) with the run's facts and a PNG; Escape closes it.
 * A run whose map is gone, and a robot that makes no maps, say so. Screenshots on a phone and a desktop.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { MapJson } from "../../web/src/data/map-json.ts";
import { OWNER } from "../support/accounts.ts";
import {
  DESKTOP,
  newContext,
  openPage,
  PHONE,
  screenshot,
  signInThroughPage,
  step,
} from "../support/browser.ts";
import { type DashboardSetting, startDashboardSetting } from "../support/dashboard.ts";
import { advanceFleet, startTestHub, TEST_CODES, type TestHub, waitFor } from "../support/harness.ts";

type Session = { jobId: string; finishedAt: number | null };

describe("room order and history maps in Chromium", () => {
  let setting: DashboardSetting;
  let hub: TestHub;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  const robotId = "orderbot-001";
  const mapless = "orderbot-002";
  let hubDir = "";

  const map = async () => (await hub.api<MapJson>("GET", `/api/robots/${robotId}/map`)).body;
  /** Room names as the order editor lists them. */
  const orderList = () =>
    page.getByRole("list", { name: "Order of rooms" }).locator("li .name").allTextContents();
  /** Room names as the room picker lists them. */
  const pickerList = () =>
    page
      .getByRole("list", { name: "Rooms, in cleaning order when selected" })
      .locator("button.room")
      .evaluateAll((els) => els.map((e) => e.getAttribute("aria-label") ?? ""));
  const isFocused = (name: string) =>
    page.getByRole("button", { name, exact: true }).evaluate((el) => el.matches(":focus"));

  /** Runs a room clean to its end in simulated time and returns the recorded session. */
  const cleanOnce = async (id: string, room: string): Promise<Session> => {
    const known = new Set(
      (await hub.api<{ sessions: Session[] }>("GET", `/api/robots/${id}/history`)).body.sessions.map(
        (s) => s.jobId,
      ),
    );
    const started = await hub.api("POST", `/api/robots/${id}/commands/clean_rooms`, {
      rooms: [{ id: room }],
    });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    // Move simulated time on rather than wait for the run.
    await advanceFleet(setting.fleet, 1_800_000);
    return waitFor(
      "the run recorded",
      async () => {
        const h = await hub.api<{ sessions: Session[] }>("GET", `/api/robots/${id}/history`);
        return h.body.sessions.find((s) => !known.has(s.jobId) && s.finishedAt !== null) ?? null;
      },
      45_000,
    );
  };

  before(async () => {
    setting = await startDashboardSetting({
      name: "ui-room-order",
      fleet: {
        count: 2,
        idPrefix: "orderbot",
        advertise: false,
        plans: ["house", "loft"],
        disabledCapabilities: { 1: ["map"] },
      },
      hub: { overrides: { discovery: { enabled: false } } },
    });
    ({ hub, browser } = setting);
    hubDir = join(setting.dir.path, "hub");
    const second = await hub.api("POST", "/api/robots/pair", {
      host: "127.0.0.1",
      port: setting.fleet.robots[1]!.port,
      code: TEST_CODES[1],
    });
    assert.equal(second.status, 201, JSON.stringify(second.body));
    await waitFor(
      "the robot's map",
      async () => (await hub.api("GET", `/api/robots/${robotId}/map`)).status === 200,
    );
    ({ context, page, errors } = await openPage(browser, hub.url, { size: DESKTOP }));
    await signInThroughPage(page, OWNER.username, OWNER.password);
  });
  after(async () => {
    await setting?.stop();
  });

  it("moves rooms up and down with the mouse and the keyboard; the hub keeps the order", async () => {
    const rooms = (await map()).rooms.map((r) => r.name);
    assert.ok(rooms.length >= 3, "the house has rooms to reorder");
    const last = rooms.at(-1)!;
    const expected = [last, rooms[0]!, ...rooms.slice(1, -1)];
    await step(page, "order-move", async () => {
      await page.goto(`/robots/${robotId}`);
      await page.getByRole("button", { name: "Edit map" }).click();
      await page.getByRole("list", { name: "Order of rooms" }).waitFor();
      assert.deepEqual(await orderList(), rooms);
      assert.equal(
        await page.getByRole("button", { name: `Move ${rooms[0]} up`, exact: true }).isDisabled(),
        true,
        "the first room cannot move up",
      );
      // The mouse moves the last room up once...
      await page.getByRole("button", { name: `Move ${last} up`, exact: true }).click();
      // ...and the keyboard on: the pressed button keeps the focus as its room moves.
      for (let i = 0; i < rooms.length - 2; i++) {
        assert.ok(await isFocused(`Move ${last} up`), "focus stays on the moved room's button");
        await page.keyboard.press("Enter");
      }
      await waitFor("the order shown", async () => (await orderList()).join() === expected.join());
      await page
        .getByRole("status")
        .filter({ hasText: `${last} is now 1 of ${rooms.length}` })
        .waitFor();
      // At the top, "up" is disabled: the focus went to the room's other button.
      assert.ok(await isFocused(`Move ${last} down`), "focus moved to the enabled button");
    });
    await waitFor(
      "the hub has the order",
      async () => (await map()).rooms.map((r) => r.name).join() === expected.join(),
    );
    const json = await map();
    assert.deepEqual(
      json.rooms.map((r) => r.order),
      json.rooms.map((_, i) => i),
    );
    await screenshot(page, "room-order-desktop-light");
  });

  it("the order stays after a reload and is the order of the room picker and of All rooms", async () => {
    const names = (await map()).rooms.map((r) => r.name);
    await step(page, "order-reload", async () => {
      await page.reload();
      await waitFor(
        "the picker in the hub's order",
        async () => (await pickerList()).join() === names.join(),
      );
      await page.getByRole("button", { name: "All rooms" }).click();
      await page.getByRole("button", { name: `Clean ${names.length} rooms in this order` }).waitFor();
      for (const [i, name] of names.entries()) {
        await page.getByRole("button", { name: `${name}, number ${i + 1} in order` }).waitFor();
      }
      await page.getByRole("button", { name: "Clear" }).click();
      await page.getByRole("button", { name: "Edit map" }).click();
      await waitFor("the editor in the hub's order", async () => (await orderList()).join() === names.join());
    });
  });

  it("a room dragged with the mouse lands where it is dropped", async () => {
    const names = (await map()).rooms.map((r) => r.name);
    const row = (name: string) =>
      page.getByRole("list", { name: "Order of rooms" }).locator("li").filter({ hasText: name });
    const expected = [names[0]!, names.at(-1)!, ...names.slice(1, -1)];
    await step(page, "order-drag", async () => {
      await row(names.at(-1)!).dragTo(row(names[1]!));
      await waitFor("the order shown", async () => (await orderList()).join() === expected.join());
    });
    await waitFor(
      "the hub has the dragged order",
      async () => (await map()).rooms.map((r) => r.name).join() === expected.join(),
    );
  });

  it("a move the hub cannot save goes back and says why; the order survives a hub restart", async () => {
    const names = (await map()).rooms.map((r) => r.name);
    const auth = hub.authHeaders();
    await hub.stop();
    try {
      await step(page, "order-hub-down", async () => {
        await page.getByRole("button", { name: `Move ${names[1]} up`, exact: true }).click();
        await page.getByText("No connection to the hub").waitFor();
        await waitFor(
          "the list back in the hub's order",
          async () => (await orderList()).join() === names.join(),
        );
        await screenshot(page, "room-order-error-desktop-light");
      });
    } finally {
      hub = await startTestHub(hubDir, {
        onboard: false,
        ownerAuth: auth,
        overrides: { discovery: { enabled: false } },
      });
      setting.hub = hub;
    }
    assert.deepEqual(
      (await map()).rooms.map((r) => r.name),
      names,
      "the order survived the restart, and the failed move changed nothing",
    );
    // The restarted hub listens on another port (page URLs are absolute from here); the browser keeps the cookie.
    await step(page, "order-after-restart", async () => {
      await page.goto(`${hub.url}/robots/${robotId}`);
      await page.getByRole("button", { name: "Edit map" }).click();
      await waitFor(
        "the editor in the stored order",
        async () => (await orderList()).join() === names.join(),
      );
    });
  });

  it("a finished run opens its map as it was, with its facts and a PNG; Escape closes it", async () => {
    await waitFor("the robot back online", async () => {
      const r = await hub.api<{ connection: string }>("GET", `/api/robots/${robotId}`);
      return r.body.connection === "online";
    });
    const first = (await map()).rooms[0]!;
    // A restriction on the floor, so the run's map has one to show (no-mop: a vacuum run is not hindered).
    const area = await hub.api("POST", `/api/robots/${robotId}/map/restrictions`, {
      kind: "no_mop",
      x1: 0,
      y1: 14000,
      x2: 3000,
      y2: 17000,
    });
    assert.equal(area.status, 201, JSON.stringify(area.body));
    // The history is open while the robot cleans: the run and its map show without a reload.
    await page.goto(`${hub.url}/robots/${robotId}/history`);
    await page.getByText("No cleaning runs yet.").waitFor();
    const session = await cleanOnce(robotId, first.id);
    await waitFor("the run's map kept", async () => {
      const r = await hub.api<{ snapshots: { jobId: string }[] }>(
        "GET",
        `/api/robots/${robotId}/map/snapshots`,
      );
      return r.body.snapshots.some((s) => s.jobId === session.jobId);
    });
    const kept = (await hub.api<MapJson>("GET", `/api/robots/${robotId}/map/snapshots/${session.jobId}`))
      .body;
    assert.ok(kept.path.length > 4, "the kept map has the run's path");
    const dialog = page.getByRole("dialog");
    await step(page, "history-map", async () => {
      const open = page.getByRole("button", { name: /^Map of the run/ }).first();
      await open.click();
      await dialog.getByRole("heading", { name: `Room clean: ${first.name}` }).waitFor();
      await waitFor("the run's map on the canvas", () =>
        dialog
          .locator("sh-map-canvas")
          .evaluate((el) => {
            const m = (
              el as unknown as {
                model: { grid: unknown; path: unknown[]; restrictions: unknown[]; dock: unknown } | null;
              }
            ).model;
            // Rooms (the grid), the path driven, the restriction and the dock.
            return (
              m !== null &&
              m.grid !== null &&
              m.path.length > 2 &&
              m.restrictions.length === 1 &&
              m.dock !== null
            );
          })
          .catch(() => false),
      );
      // The canvas really drew it: the path's colour is among its pixels, not only the background.
      const drawn = await waitFor("pixels drawn", () =>
        dialog.locator("sh-map-canvas").evaluate((el) => {
          const canvas = el.shadowRoot!.querySelector("canvas")!;
          const ctx = canvas.getContext("2d")!;
          const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
          const colours = new Set<number>();
          for (let i = 0; i < data.length; i += 16)
            colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
          return colours.size > 4 ? colours.size : 0;
        }),
      );
      assert.ok(drawn > 4, `the canvas has a drawing (${drawn} colours)`);
      assert.match(
        ((await dialog.getByTestId("session-facts").textContent()) ?? "").replace(/\s+/g, " ").trim(),
        // The house has two floors: the run's floor is named.
        / · [\d.]+ (s|min|h)[^·]* · [\d.]+ m² · Completed · floor “ground”$/,
      );
      const href =
        (await dialog.getByRole("link", { name: "Download image (PNG)" }).getAttribute("href")) ?? "";
      const png = await page.evaluate(async (url) => {
        const r = await fetch(url);
        const bytes = new Uint8Array(await r.arrayBuffer());
        return { status: r.status, type: r.headers.get("content-type"), head: Array.from(bytes.slice(0, 4)) };
      }, href);
      assert.deepEqual(png, { status: 200, type: "image/png", head: [0x89, 0x50, 0x4e, 0x47] });
      await screenshot(page, "history-map-desktop-light");
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "hidden" });
      assert.ok(await open.evaluate((el) => el.matches(":focus")), "the Map button has the focus again");
    });
  });

  it("fits a phone (dark theme)", async () => {
    const ctx = await newContext(browser, hub.url, { size: PHONE, dark: true });
    await ctx.addCookies(await context.cookies());
    const phone = await ctx.newPage();
    await step(phone, "history-map-phone", async () => {
      await phone.goto(`/robots/${robotId}`);
      await phone.getByRole("button", { name: "Edit map" }).click();
      await phone.getByRole("list", { name: "Order of rooms" }).scrollIntoViewIfNeeded();
      await screenshot(phone, "room-order-phone-dark");
      await phone.goto(`/robots/${robotId}/history`);
      await phone
        .getByRole("button", { name: /^Map of the run/ })
        .first()
        .waitFor();
      await screenshot(phone, "history-list-phone-dark");
      await phone
        .getByRole("button", { name: /^Map of the run/ })
        .first()
        .click();
      const canvas = phone.getByRole("dialog").locator("sh-map-canvas");
      await waitFor("the map in the dialog", () =>
        canvas.evaluate((el) => (el as unknown as { model: unknown }).model !== null).catch(() => false),
      );
      const box = await phone.getByRole("dialog").boundingBox();
      assert.ok(
        box && box.x >= 0 && box.x + box.width <= PHONE.width,
        `the dialog fits: ${JSON.stringify(box)}`,
      );
      await screenshot(phone, "history-map-phone-dark");
      await phone.getByRole("dialog").getByRole("button", { name: "Close", exact: true }).last().click();
      await phone.getByRole("dialog").waitFor({ state: "hidden" });
    });
    await ctx.close();
  });

  it("a run whose map is gone, and a robot that makes no maps, say so", async () => {
    const gone = (
      await hub.api<{ snapshots: { jobId: string }[] }>("GET", `/api/robots/${robotId}/map/snapshots`)
    ).body.snapshots[0]!;
    await step(page, "history-map-gone", async () => {
      await page.goto(`${hub.url}/robots/${robotId}/history`);
      await page
        .getByRole("button", { name: /^Map of the run/ })
        .first()
        .waitFor();
      // The map goes after the list loaded (as retention would remove it with an old run).
      const db = new Database(join(hubDir, "sweephub.db"));
      db.prepare("DELETE FROM map_snapshots WHERE robot_id = ? AND job_id = ?").run(robotId, gone.jobId);
      db.close();
      await page
        .getByRole("button", { name: /^Map of the run/ })
        .first()
        .click();
      await page.getByRole("dialog").getByText("The hub kept no map of this run").waitFor();
      assert.equal(await page.getByRole("dialog").locator("sh-map-canvas").count(), 0, "no empty map");
      await page.keyboard.press("Escape");
      await page.reload();
      await page.getByRole("list", { name: "Cleaning history" }).getByText("No map kept").first().waitFor();
    });
    await page.goto(`${hub.url}/robots/${mapless}/history`);
    await page.getByText("No cleaning runs yet.").waitFor();
    await cleanOnce(mapless, "kitchen_area");
    await step(page, "history-mapless", async () => {
      await page.getByRole("list", { name: "Cleaning history" }).getByText("Completed").waitFor();
      await page.getByText("This robot makes no maps").waitFor();
      assert.equal(await page.getByRole("button", { name: /^Map of the run/ }).count(), 0);
    });
    assert.deepEqual(
      errors.filter((e) => !/Failed to load resource|ERR_CONNECTION_REFUSED|WebSocket/.test(e)),
      [],
    );
  });
});
