/**
 * The live map in real Chromium: the robot's map arrives over the WebSocket and is drawn with its rooms; a room
 * renamed on the page keeps its name after a reload; a no-go area drawn on the map reaches the robot; a zone
 * drawn on the map is cleaned; the map downloads as a PNG and as Valetudo JSON; a room's colour can be changed. Screenshots of the map on a phone and a desktop, light and dark.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { RobotView } from "../../hub/core/robot-view.ts";
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
import { type TestHub, waitFor } from "../support/harness.ts";

describe("live map in Chromium", () => {
  let setting: DashboardSetting;
  let hub: TestHub;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  const robotId = "mapbot-001";
  /** The Valetudo JSON the dashboard exported, opened again as a file. */
  let valetudoExport = "";

  const map = async () => (await hub.api<MapJson>("GET", `/api/robots/${robotId}/map`)).body;
  const canvasModel = () =>
    page.locator("sh-map-canvas").evaluate((el) => {
      const m = (
        el as unknown as { model: { grid: unknown; rooms: { name: string }[]; restrictions: unknown[] } }
      ).model;
      return {
        grid: m.grid !== null,
        rooms: m.rooms.map((r) => r.name),
        restrictions: m.restrictions.length,
      };
    });

  /** Drags on the map canvas between two points given as fractions of its size. */
  const drag = async (from: [number, number], to: [number, number]) => {
    const box = await page.locator("sh-map-canvas canvas").boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + box.width * from[0], box.y + box.height * from[1]);
    await page.mouse.down();
    await page.mouse.move(
      box.x + box.width * ((from[0] + to[0]) / 2),
      box.y + box.height * ((from[1] + to[1]) / 2),
      {
        steps: 4,
      },
    );
    await page.mouse.move(box.x + box.width * to[0], box.y + box.height * to[1], { steps: 4 });
    await page.mouse.up();
  };

  before(async () => {
    setting = await startDashboardSetting({
      name: "ui-map",
      fleet: { idPrefix: "mapbot", advertise: false, timeScale: 30 },
      hub: { overrides: { discovery: { enabled: false } } },
    });
    ({ hub, browser } = setting);
    ({ context, page, errors } = await openPage(browser, hub.url, { size: DESKTOP }));
    await signInThroughPage(page, OWNER.username, OWNER.password);
  });
  after(async () => {
    await setting?.stop();
  });

  it("draws the robot's map with its rooms", async () => {
    await step(page, "map-drawn", async () => {
      await page.goto(`/robots/${robotId}`);
      await waitFor("the map raster on the canvas", async () => (await canvasModel()).grid);
      const names = (await map()).rooms.map((r) => r.name).sort();
      assert.deepEqual((await canvasModel()).rooms.sort(), names);
      await screenshot(page, "map-desktop-light");
    });
  });

  it("a renamed room keeps its name after a reload", async () => {
    const room = (await map()).rooms[0]!;
    await step(page, "rename", async () => {
      await page.getByRole("button", { name: "Edit map" }).click();
      await page.getByRole("button", { name: `Rename ${room.name}` }).click();
      await page.getByLabel(`New name for ${room.name}`).fill("Reading nook");
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByRole("button", { name: "Rename Reading nook" }).waitFor();
    });
    await step(page, "rename-after-reload", async () => {
      await page.reload();
      await waitFor("the renamed room on the map", async () =>
        (await canvasModel()).rooms.includes("Reading nook"),
      );
      await page.getByRole("button", { name: /^Reading nook/ }).waitFor();
    });
    assert.equal((await map()).rooms.find((r) => r.id === room.id)?.name, "Reading nook");
  });

  it("the map downloads as a picture and as Valetudo JSON (with the room's new name)", async () => {
    const saved: Record<string, { status: number; type: string | null; name: string; text: string }> = {};
    await step(page, "downloads", async () => {
      await page.getByRole("heading", { name: "Save the map" }).waitFor();
      for (const name of ["Download image (PNG)", "Export (Valetudo JSON)"]) {
        const link = page.getByRole("link", { name });
        const href = (await link.getAttribute("href")) ?? "";
        const answer = await page.evaluate(async (url) => {
          const res = await fetch(url);
          return { status: res.status, type: res.headers.get("content-type") };
        }, href);
        // A real download by the browser: the link's GET carries the session cookie.
        const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
        const path = await download.path();
        const text = path ? readFileSync(path, "latin1") : "";
        saved[name] = { ...answer, name: download.suggestedFilename(), text };
      }
      await screenshot(page, "map-downloads-desktop-light");
    });
    const png = saved["Download image (PNG)"]!;
    assert.deepEqual([png.status, png.type, png.name], [200, "image/png", "Rosie-main.png"]);
    assert.ok(png.text.startsWith("\x89PNG"), "the saved file is a PNG");
    const valetudo = saved["Export (Valetudo JSON)"]!;
    assert.equal(valetudo.status, 200);
    assert.match(valetudo.type ?? "", /^application\/json/);
    assert.equal(valetudo.name, "Rosie-main.valetudo.json");
    const parsed = JSON.parse(valetudo.text) as { __class?: string };
    assert.equal(parsed.__class, "ValetudoMap");
    assert.match(valetudo.text, /Reading nook/);
    valetudoExport = valetudo.text;
  });

  it("a Valetudo map file opens for viewing; a file that is not JSON is explained", async () => {
    const input = page.getByLabel("Open a Valetudo map…");
    await step(page, "valetudo-bad-file", async () => {
      await input.setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
      await page.getByText("“notes.txt” is not JSON").waitFor();
    });
    await step(page, "valetudo-open", async () => {
      await input.setInputFiles({
        name: "other-robot.json",
        mimeType: "application/json",
        // Another map: the same export with a room renamed, so the canvas shows which map it draws.
        buffer: Buffer.from(valetudoExport.replaceAll("Reading nook", "Attic")),
      });
      await page.getByText("Showing the Valetudo map “other-robot.json”").waitFor();
      await waitFor("the file's rooms on the canvas", async () =>
        (await canvasModel()).rooms.includes("Attic"),
      );
      assert.equal(await page.getByRole("button", { name: "Edit map" }).count(), 0, "a file is not edited");
      await screenshot(page, "map-valetudo-file-desktop-light");
      await page.getByRole("button", { name: "Back to the live map" }).click();
      await page.getByRole("button", { name: "Edit map" }).waitFor();
      await waitFor("the live map again", async () => (await canvasModel()).rooms.includes("Reading nook"));
    });
  });

  it("a room's colour changes on the map and stays", async () => {
    const room = (await map()).rooms.find((r) => r.name === "Reading nook")!;
    const roomColor = () =>
      page
        .locator("sh-map-canvas")
        .evaluate(
          (el, id) =>
            (el as unknown as { model: { rooms: { id: string; color: string }[] } }).model.rooms.find(
              (r) => r.id === id,
            )?.color,
          room.id,
        );
    await step(page, "room-colour", async () => {
      await page.getByRole("button", { name: "Edit map" }).click();
      await page.getByLabel("Colour of Reading nook").fill("#ff8800");
      await waitFor("the canvas draws the new colour", async () => (await roomColor()) === "#ff8800");
    });
    assert.equal((await map()).rooms.find((r) => r.id === room.id)?.color, "#ff8800");
    await page.getByRole("button", { name: "Move map" }).click();
  });

  it("a no-go area drawn on the map reaches the robot", async () => {
    await step(page, "no-go", async () => {
      await page.getByRole("button", { name: "Edit map" }).click();
      await page.getByRole("button", { name: "Add no-go area" }).click();
      await page.getByText("Drag on the map to draw the no-go area.").waitFor();
      await drag([0.4, 0.4], [0.55, 0.55]);
      await page.getByRole("button", { name: "Delete no-go area 1" }).waitFor();
      await waitFor("the restriction on the canvas", async () => (await canvasModel()).restrictions === 1);
      await screenshot(page, "map-no-go-desktop-light");
    });
    const restrictions = (await map()).restrictions;
    assert.equal(restrictions.length, 1);
    assert.equal(restrictions[0]?.kind, "no_go");
    assert.ok(restrictions[0]!.x2 > restrictions[0]!.x1 && restrictions[0]!.y2 > restrictions[0]!.y1);
  });

  it("a virtual wall drawn on the map reaches the robot", async () => {
    await step(page, "virtual-wall", async () => {
      await page.getByRole("button", { name: "Add virtual wall" }).click();
      await drag([0.6, 0.3], [0.6, 0.45]);
      await page.getByRole("button", { name: "Delete virtual wall 2" }).waitFor();
    });
    assert.deepEqual((await map()).restrictions.map((r) => r.kind).sort(), ["no_go", "virtual_wall"]);
  });

  it("rooms merge, and split along a line drawn across them", async () => {
    const before = await map();
    const [a, b] = before.rooms;
    assert.ok(a && b);
    await step(page, "merge", async () => {
      await page.getByLabel(`Pick ${a.name} to merge`).check();
      await page.getByLabel(`Pick ${b.name} to merge`).check();
      await page.getByRole("button", { name: `Merge ${a.name} + ${b.name}` }).click();
      await page.getByRole("button", { name: `Rename ${b.name}` }).waitFor({ state: "detached" });
    });
    const merged = await map();
    assert.equal(merged.rooms.length, before.rooms.length - 1);
    const big = merged.rooms.find((r) => r.id === a.id)!;
    await step(page, "split", async () => {
      await page.getByRole("button", { name: `Split ${big.name}` }).click();
      await page.getByText(`Draw the line that splits ${big.name}.`).waitFor();
      // A vertical line through the room's label point, well beyond its walls, in screen coordinates.
      const ends = await page.locator("sh-map-canvas").evaluate((el, label) => {
        const v = (el as unknown as { viewport: { scale: number; tx: number; ty: number } }).viewport;
        const r = el.getBoundingClientRect();
        const at = (x: number, y: number) => ({
          x: r.left + x * v.scale + v.tx,
          y: r.top - y * v.scale + v.ty,
        });
        return [at(label.x, label.y + 6000), at(label.x, label.y - 6000)];
      }, big.label);
      await page.mouse.move(ends[0]!.x, ends[0]!.y);
      await page.mouse.down();
      await page.mouse.move(ends[1]!.x, ends[1]!.y, { steps: 6 });
      await page.mouse.up();
      await waitFor("the split room", async () => (await map()).rooms.length === merged.rooms.length + 1);
      await screenshot(page, "map-edited-desktop-light");
    });
  });

  it("a zone drawn on the map is cleaned", async () => {
    await step(page, "zone", async () => {
      await page.getByRole("button", { name: "Draw zone" }).click();
      await drag([0.3, 0.6], [0.4, 0.7]);
      await page.getByRole("button", { name: "Clean zone" }).click();
      await page
        .getByTestId("status")
        .filter({ hasText: /Cleaning|Moving/ })
        .waitFor();
    });
    const robot = (await hub.api<RobotView>("GET", `/api/robots/${robotId}`)).body;
    assert.equal(robot.state?.job?.kind, "zones");
    await hub.api("POST", `/api/robots/${robotId}/commands/dock`, {});
  });

  it("a tapped point sends the robot there", async () => {
    await waitFor(
      "robot back home or idle",
      async () => {
        const r = (await hub.api<RobotView>("GET", `/api/robots/${robotId}`)).body;
        return r.state?.status !== "returning" && r.state?.status !== "cleaning";
      },
      45_000,
    );
    await step(page, "go-to", async () => {
      await page.getByRole("button", { name: "Go to point" }).click();
      // The middle of the first room's label: open floor the robot can reach.
      const label = (await map()).rooms[0]!.label;
      const at = await page.locator("sh-map-canvas").evaluate((el, p) => {
        const v = (el as unknown as { viewport: { scale: number; tx: number; ty: number } }).viewport;
        const r = el.getBoundingClientRect();
        return { x: r.left + p.x * v.scale + v.tx, y: r.top - p.y * v.scale + v.ty };
      }, label);
      await page.mouse.click(at.x, at.y);
      await page.getByRole("button", { name: "Go there" }).click();
      await page
        .getByTestId("status")
        .filter({ hasText: /Moving|Idle/ })
        .waitFor();
    });
    const label = (await map()).rooms[0]!.label;
    await waitFor(
      "the robot at the tapped point",
      async () => {
        const pose = (await hub.api<RobotView>("GET", `/api/robots/${robotId}`)).body.state?.pose;
        return pose && Math.hypot(pose.x - label.x, pose.y - label.y) < 400;
      },
      45_000,
    );
  });

  it("looks right on a phone, light and dark", async () => {
    for (const dark of [false, true]) {
      const ctx = await newContext(browser, hub.url, { size: PHONE, dark });
      await ctx.addCookies(await context.cookies());
      const phone = await ctx.newPage();
      const theme = dark ? "dark" : "light";
      await step(phone, `map-phone-${theme}`, async () => {
        await phone.goto(`/robots/${robotId}`);
        await phone.locator("sh-map-canvas").waitFor();
        await waitFor("the map on the phone", () =>
          phone
            .locator("sh-map-canvas")
            .evaluate((el) => (el as unknown as { model: { grid: unknown } }).model.grid !== null),
        );
        await screenshot(phone, `map-phone-${theme}`);
        if (!dark) {
          // Two fingers spreading apart zoom in around their midpoint.
          const scales = await phone.locator("sh-map-canvas").evaluate((el) => {
            const host = el as unknown as { viewport: { scale: number } };
            const canvas = el.shadowRoot!.querySelector("canvas")!;
            const r = canvas.getBoundingClientRect();
            const cx = r.left + r.width / 2;
            const cy = r.top + r.height / 2;
            const send = (type: string, id: number, x: number) =>
              canvas.dispatchEvent(
                new PointerEvent(type, {
                  pointerId: id,
                  clientX: x,
                  clientY: cy,
                  bubbles: true,
                  pointerType: "touch",
                }),
              );
            const before = host.viewport.scale;
            send("pointerdown", 11, cx - 40);
            send("pointerdown", 12, cx + 40);
            for (let d = 40; d <= 120; d += 20) {
              send("pointermove", 11, cx - d);
              send("pointermove", 12, cx + d);
            }
            send("pointerup", 11, cx - 120);
            send("pointerup", 12, cx + 120);
            return { before, after: host.viewport.scale };
          });
          assert.ok(scales.after > scales.before * 2.5, `pinch zoomed: ${JSON.stringify(scales)}`);
        }
      });
      await ctx.close();
    }
    assert.deepEqual(
      errors.filter((e) => !/Failed to load resource/.test(e)),
      [],
    );
  });
});
