/**
 * Room order end to end (PUT /api/robots/:id/map/rooms/order): the whole list is saved at once, shows in the
 * map JSON, the live map stream and the room list, survives a hub restart, and lists that do not fit the map
 * (a room missing, unknown or twice) are refused with nothing changed. Viewers may not reorder.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import type { MapJson } from "../../hub/maps/map-json.ts";
import type { SimulatorFleet } from "../../integrations/sweep/simulator/fleet.ts";
import { addUser } from "../support/accounts.ts";
import { startFleet, startTestHub, TEST_CODES, type TestHub, tempDir, waitFor } from "../support/harness.ts";

type Err = { error: { code: string; message: string; details?: Record<string, unknown> } };

describe("room order end to end", () => {
  const dir = tempDir("room-order");
  let fleet: SimulatorFleet;
  let hub: TestHub;
  const id = "orderbot-001";
  const hubDir = `${dir.path}/hub`;
  const order = (floor?: string) =>
    hub.api<MapJson>("GET", `/api/robots/${id}/map${floor ? `?floor=${floor}` : ""}`);
  const put = (body: unknown) => hub.api<MapJson & Err>("PUT", `/api/robots/${id}/map/rooms/order`, body);
  let robotOrder: string[] = [];

  before(async () => {
    fleet = await startFleet({ dir: dir.path, idPrefix: "orderbot", advertise: false, plans: ["house"] });
    hub = await startTestHub(hubDir);
    const res = await hub.api("POST", "/api/robots/pair", {
      host: "127.0.0.1",
      port: fleet.robots[0]!.port,
      code: TEST_CODES[0],
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    robotOrder = await waitFor("the ground floor's map", async () => {
      const r = await order();
      return r.status === 200 ? r.body.rooms.map((x) => x.id) : null;
    });
    assert.ok(robotOrder.length >= 3, "the house has rooms to reorder");
  });
  after(async () => {
    await hub?.stop();
    await fleet?.stop();
    dir.remove();
  });

  it("saves the whole order at once and streams the reordered map to clients", async () => {
    const ws = new WebSocket(`${hub.url.replace("http", "ws")}/api/ws`, { headers: hub.authHeaders() });
    const maps: MapJson[] = [];
    ws.on("message", (d) => {
      const m = JSON.parse(String(d)) as { type: string; map?: MapJson };
      if (m.type === "map" && m.map) maps.push(m.map);
    });
    await new Promise((r) => ws.once("open", r));
    ws.send(JSON.stringify({ type: "map_subscribe", id: "s1", robotId: id }));
    await waitFor("the full map first", () => maps.length > 0);

    const wanted = [...robotOrder].reverse();
    const res = await put({ rooms: wanted });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(
      res.body.rooms.map((r) => r.id),
      wanted,
    );
    assert.deepEqual(
      res.body.rooms.map((r) => r.order),
      wanted.map((_, i) => i),
    );
    assert.deepEqual(
      (await order()).body.rooms.map((r) => r.id),
      wanted,
    );
    await waitFor("the reordered map on the stream", () =>
      maps.some((m) => m.rooms.map((r) => r.id).join() === wanted.join()),
    );
    ws.close();
  });

  it("keeps names and colours when reordering", async () => {
    const [first] = (await order()).body.rooms;
    assert.ok(first);
    const named = await hub.api<MapJson>("PATCH", `/api/robots/${id}/map/rooms/${first.id}`, {
      name: "Den",
      color: "#123456",
    });
    assert.equal(named.status, 200, JSON.stringify(named.body));
    const res = await put({ rooms: robotOrder });
    assert.equal(res.status, 200);
    const den = res.body.rooms.find((r) => r.id === first.id);
    assert.deepEqual([den?.name, den?.color], ["Den", "#123456"]);
    assert.deepEqual(
      res.body.rooms.map((r) => r.id),
      robotOrder,
    );
  });

  it("refuses lists that do not fit the map and changes nothing", async () => {
    const before = (await order()).body.rooms.map((r) => r.id);
    const missing = await put({ rooms: before.slice(1) });
    assert.equal(missing.status, 409);
    assert.equal(missing.body.error.code, "room_order_mismatch");
    assert.deepEqual(missing.body.error.details?.missing, [before[0]]);
    const unknown = await put({ rooms: [...before.slice(1), "attic"] });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, "room_not_found");
    const twice = await put({ rooms: [...before, before[0]] });
    assert.equal(twice.status, 400);
    assert.equal(twice.body.error.code, "invalid_request");
    const empty = await put({ rooms: [] });
    assert.equal(empty.status, 400);
    const otherFloor = await put({ floor: "cellar", rooms: before });
    assert.equal(otherFloor.status, 404);
    assert.equal(otherFloor.body.error.code, "map_not_found");
    assert.deepEqual(
      (await order()).body.rooms.map((r) => r.id),
      before,
      "nothing changed",
    );
  });

  it("orders each floor on its own", async () => {
    const upstairs = (await order("upstairs")).body;
    assert.equal(upstairs.floor, "upstairs");
    const wanted = upstairs.rooms.map((r) => r.id).reverse();
    const res = await put({ floor: "upstairs", rooms: wanted });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(
      (await order("upstairs")).body.rooms.map((r) => r.id),
      wanted,
    );
    assert.deepEqual(
      (await order()).body.rooms.map((r) => r.id),
      robotOrder,
      "the ground floor is untouched",
    );
  });

  it("lets viewers see the order but not change it", async () => {
    const viewer = await addUser(hub.url, hub.owner!, "order-viewer", "member", [
      { robotId: id, view: true },
    ]);
    const res = await viewer.api<Err>("PUT", `/api/robots/${id}/map/rooms/order`, {
      rooms: [...robotOrder].reverse(),
    });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, "robot_access_denied");
  });

  it("the order survives a hub restart", async () => {
    const wanted = [robotOrder[1]!, robotOrder[0]!, ...robotOrder.slice(2)];
    assert.equal((await put({ rooms: wanted })).status, 200);
    const auth = hub.authHeaders();
    await hub.stop();
    hub = await startTestHub(hubDir, { onboard: false });
    const res = await fetch(`${hub.url}/api/robots/${id}/map`, { headers: auth });
    assert.equal(res.status, 200);
    assert.deepEqual(
      ((await res.json()) as MapJson).rooms.map((r) => r.id),
      wanted,
    );
  });
});
