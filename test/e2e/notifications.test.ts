/**
 * Robot notifications end to end with a real hub and simulated robot (docs/architecture.md "Notifications"):
 * a finished run, a fault and a worn part reach exactly the users who can see the robot and asked for that
 * kind, once per event (a reconnect does not repeat an old fault), live over the WebSocket to that user only.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import type { SimulatorFleet } from "../../integrations/sweep/simulator/fleet.ts";
import { type ApiClient, addUser } from "../support/accounts.ts";
import {
  advanceFleet,
  startFleet,
  startTestHub,
  TEST_CODES,
  type TestHub,
  tempDir,
  waitFor,
} from "../support/harness.ts";

interface Notice {
  id: number;
  kind: string;
  robotId: string | null;
  message: string;
  details: Record<string, unknown>;
  dismissedAt: number | null;
}

const noticesOf = async (c: ApiClient, kind: string) =>
  (await c.api<{ notices: Notice[] }>("GET", "/api/me/notices")).body.notices.filter((n) => n.kind === kind);

/** A user's dashboard connection: records the notices pushed to it. */
function liveNotices(hub: TestHub, c: ApiClient) {
  const pushed: { notice: Notice; unread: number }[] = [];
  const ws = new WebSocket(`${hub.url.replace(/^http/, "ws")}/api/ws`, {
    headers: { cookie: (c.headers as { cookie: string }).cookie, origin: hub.url },
  });
  ws.on("message", (d) => {
    const m = JSON.parse(String(d)) as { type: string; notice: Notice; unread: number };
    if (m.type === "notice") pushed.push({ notice: m.notice, unread: m.unread });
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.on("open", () => resolve());
    ws.on("error", reject);
  });
  return { ws, pushed, opened };
}

describe("robot notifications end to end", () => {
  const dir = tempDir("notifications");
  let fleet: SimulatorFleet;
  let hub: TestHub;
  let robot: string;
  let owner: ApiClient;
  let viewer: ApiClient;
  let stranger: ApiClient;
  let quiet: ApiClient;
  const hubDir = `${dir.path}/hub`;

  before(async () => {
    fleet = await startFleet({ dir: dir.path, idPrefix: "notebot", advertise: false, plans: ["apartment"] });
    hub = await startTestHub(hubDir, { overrides: { discovery: { enabled: false } } });
    owner = hub.owner!;
    const pair = await hub.api<{ id: string }>("POST", "/api/robots/pair", {
      host: "127.0.0.1",
      port: fleet.robots[0]!.port,
      code: TEST_CODES[0],
    });
    assert.equal(pair.status, 201, JSON.stringify(pair.body));
    robot = pair.body.id;
    await waitFor("robot online", () => hub.robots.get(robot).state !== null);
    viewer = await addUser(hub.url, owner, "vera", "member", [{ robotId: robot, view: true }]);
    stranger = await addUser(hub.url, owner, "sam", "member");
    quiet = await addUser(hub.url, owner, "quinn", "member", [{ robotId: robot, view: true }]);
    const off = await quiet.api("PATCH", "/api/me", {
      preferences: { notifications: { cleaningFinished: false } },
    });
    assert.equal(off.status, 200, JSON.stringify(off.body));
  });
  /** The owner's notices through the hub's owner token (it outlives a hub restart; the session client's URL does not). */
  const ownerNoticesOf = async (kind: string) =>
    (await hub.api<{ notices: Notice[] }>("GET", "/api/me/notices")).body.notices.filter(
      (n) => n.kind === kind,
    );

  after(async () => {
    await hub?.stop();
    await fleet?.stop();
    dir.remove();
  });

  it("tells who can see the robot and asked for it that a run finished, in plain words, live and once", async () => {
    const viewerLive = liveNotices(hub, viewer);
    const strangerLive = liveNotices(hub, stranger);
    await Promise.all([viewerLive.opened, strangerLive.opened]);
    const started = await hub.api("POST", `/api/robots/${robot}/commands/clean_rooms`, {
      rooms: [{ id: "kitchen" }],
    });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    await advanceFleet(fleet, 1_800_000);
    const [forViewer] = await waitFor("the viewer notified", async () => {
      const n = await noticesOf(viewer, "cleaning_finished");
      return n.length > 0 ? n : null;
    });
    const name = hub.robots.get(robot).name;
    assert.match(
      forViewer!.message,
      new RegExp(`^${name} finished cleaning Kitchen: [0-9.]+ m² in [0-9]+ (s|min)\\.$`),
    );
    assert.equal(forViewer!.robotId, robot);
    assert.equal((await noticesOf(owner, "cleaning_finished")).length, 1, "the owner too");
    const pushed = await waitFor("pushed live to the viewer", () => viewerLive.pushed[0]);
    assert.equal(pushed.notice.id, forViewer!.id);
    assert.ok(pushed.unread >= 1, "with the new unread count");
    assert.equal((await noticesOf(stranger, "cleaning_finished")).length, 0, "no grant: not told");
    assert.equal(strangerLive.pushed.length, 0, "nothing pushed to another user's connection");
    assert.equal((await noticesOf(quiet, "cleaning_finished")).length, 0, "preference off: not told");
    viewerLive.ws.close();
    strangerLive.ws.close();
  });

  it("a fault raises robot_attention once, and a reconnect does not raise it again", async () => {
    const started = await hub.api("POST", `/api/robots/${robot}/commands/start`, {});
    assert.equal(started.status, 200, JSON.stringify(started.body));
    fleet.get(robot).robot.injectFault("bin_full");
    const [notice] = await waitFor("the viewer told about the fault", async () => {
      const n = await noticesOf(viewer, "robot_attention");
      return n.length > 0 ? n : null;
    });
    assert.match(notice!.message, /needs attention: The dust bin is full/);
    assert.equal(notice!.details.code, "bin_full");
    assert.equal(
      (await noticesOf(quiet, "robot_attention")).length,
      1,
      "quinn only turned off finished runs",
    );
    assert.equal((await noticesOf(stranger, "robot_attention")).length, 0);
    // Dismissed, then the robot reconnects still reporting the same fault: that is not news.
    assert.equal((await viewer.api("POST", `/api/me/notices/${notice!.id}/dismiss`)).status, 204);
    const sim = fleet.get(robot);
    sim.server.dropConnections();
    await waitFor("offline noticed", () => hub.robots.get(robot).connection !== "online");
    await waitFor("back online", () => hub.robots.get(robot).connection === "online", 30_000);
    await waitFor("state after reconnect", () => hub.robots.get(robot).state?.error?.code === "bin_full");
    assert.equal((await noticesOf(viewer, "robot_attention")).length, 1, "not raised again");
    sim.robot.clearFault();
    await waitFor("fault cleared", () => hub.robots.get(robot).state?.error === null);
    assert.equal((await hub.api("POST", `/api/robots/${robot}/commands/dock`, {})).status, 200);
  });

  it("a hub restart with the robot still at fault does not raise it again", async () => {
    const sim = fleet.get(robot);
    sim.robot.injectFault("stuck");
    const ownerNotices = async () =>
      (await hub.api<{ notices: Notice[] }>("GET", "/api/me/notices")).body.notices.filter(
        (n) => n.kind === "robot_attention" && n.details.code === "stuck",
      );
    const [stuck] = await waitFor("the owner told", async () => {
      const n = await ownerNotices();
      return n.length > 0 ? n : null;
    });
    assert.equal((await hub.api("POST", `/api/me/notices/${stuck!.id}/dismiss`)).status, 204);
    const auth = hub.authHeaders();
    await hub.stop();
    hub = await startTestHub(hubDir, {
      onboard: false,
      ownerAuth: auth,
      overrides: { discovery: { enabled: false } },
    });
    await waitFor("back online with the fault", () => {
      const v = hub.robots.get(robot);
      return v.connection === "online" && v.state?.error?.code === "stuck";
    });
    // A new fault after the restart is news: it also proves the notifications are running before we count.
    sim.robot.clearFault();
    sim.robot.injectFault("wheel_blocked");
    await waitFor("the new fault notified", async () =>
      (await hub.api<{ notices: Notice[] }>("GET", "/api/me/notices")).body.notices.some(
        (n) => n.details.code === "wheel_blocked",
      ),
    );
    assert.equal((await ownerNotices()).length, 1, "the old fault was not raised again");
    sim.robot.clearFault();
    assert.equal((await hub.api("POST", `/api/robots/${robot}/commands/dock`, {})).status, 200);
  });

  it("a part crossing its replacement point is notified once, not on every later update", async () => {
    const { body } = await hub.api<{ consumables: { id: string; lifetimeMin: number }[] }>(
      "GET",
      `/api/robots/${robot}/consumables`,
    );
    const filter = body.consumables.find((c) => c.id === "filter")!;
    const sim = fleet.get(robot).robot;
    // The hub knows where the filter stood (read when the robot came online, then the runs' reports).
    sim.setConsumableUsed("filter", filter.lifetimeMin * 0.9);
    const [due] = await waitFor("the owner told the filter is due", async () => {
      const n = await ownerNoticesOf("consumable_due");
      return n.length > 0 ? n : null;
    });
    assert.match(due!.message, /filter is nearly worn out \(10 % left\)/);
    sim.setConsumableUsed("filter", filter.lifetimeMin * 0.95);
    const dismissedAll = await hub.api<{ dismissed: number }>("POST", "/api/me/notices/dismiss-all");
    assert.equal(dismissedAll.status, 200);
    assert.ok(dismissedAll.body.dismissed >= 1);
    sim.setConsumableUsed("filter", filter.lifetimeMin * 0.97);
    // A later crossing (after the part was replaced) is news again: it also proves the updates above arrived.
    sim.setConsumableUsed("filter", 0);
    sim.setConsumableUsed("filter", filter.lifetimeMin * 0.9);
    await waitFor(
      "the next crossing notified",
      async () => (await ownerNoticesOf("consumable_due")).length === 2,
    );
    const me = await hub.api<{ unreadNotices: number }>("GET", "/api/me");
    assert.equal(me.body.unreadNotices, 1, "dismiss-all left only the new one");
  });
});
