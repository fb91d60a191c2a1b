/**
 * Maps end to end: real hub (SQLite, HTTP, WebSocket API) and real simulator over TLS WebSockets. The map
 * arrives after pairing, deltas stream to clients while cleaning, a delta that does not fit triggers a resync,
 * bad frames are rejected with the old map kept, edits round-trip to the robot and survive a hub restart,
 * floors stay apart, and the PNG and Valetudo forms are usable.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadImage } from "@napi-rs/canvas";
import WebSocket from "ws";
import type { MapJson } from "../../hub/maps/map-json.ts";
import { unRunLength } from "../../hub/maps/map-json.ts";
import { encodeFullFrame } from "../../integrations/sweep/protocol/map-frame.ts";
import type { SimulatorFleet } from "../../integrations/sweep/simulator/fleet.ts";
import { addUser } from "../support/accounts.ts";
import { startFleet, startTestHub, TEST_CODES, type TestHub, tempDir, waitFor } from "../support/harness.ts";

type Err = { error: { code: string; message: string } };
type WsMessage = { type: string; id?: string; robotId?: string; [k: string]: unknown };

describe("maps end to end", () => {
  const dir = tempDir("maps");
  let fleet: SimulatorFleet;
  let hub: TestHub;
  const id = "mapbot-001";
  const hubDir = `${dir.path}/hub`;
  const sim = () => fleet.get(id).robot;
  const getMap = (floor?: string) =>
    hub.api<MapJson>("GET", `/api/robots/${id}/map${floor ? `?floor=${floor}` : ""}`);

  before(async () => {
    fleet = await startFleet({
      dir: dir.path,
      idPrefix: "mapbot",
      timeScale: 100,
      advertise: false,
      plans: ["house"],
    });
    hub = await startTestHub(hubDir);
    const res = await hub.api("POST", "/api/robots/pair", {
      host: "127.0.0.1",
      port: fleet.robots[0].port,
      code: TEST_CODES[0],
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  });
  after(async () => {
    await hub?.stop();
    await fleet?.stop();
    dir.remove();
  });

  it("receives every floor's map after pairing, and keeps floors apart", async () => {
    const ground = await waitFor("ground floor map", async () => {
      const r = await getMap();
      return r.status === 200 ? r.body : null;
    });
    assert.equal(ground.floor, "ground");
    assert.deepEqual(ground.floors.sort(), ["ground", "upstairs"]);
    const truth = sim().mapSnapshot("ground", false);
    assert.deepEqual(unRunLength(ground.layers.cells, ground.width * ground.height), truth.cells);
    assert.deepEqual(unRunLength(ground.layers.segments, ground.width * ground.height), truth.segments);
    assert.ok(ground.rooms.some((r) => r.id === "living" && r.name === "Living room"));
    const upstairs = await waitFor("upstairs map", async () => {
      const r = await getMap("upstairs");
      return r.status === 200 ? r.body : null;
    });
    assert.equal(upstairs.robot, null, "the robot is not upstairs");
    const ids = (m: MapJson) => m.rooms.map((r) => r.id);
    assert.ok(
      !ids(upstairs).some((r) => ids(ground).includes(r)),
      "rooms of one floor do not leak into the other",
    );
    const floors = await hub.api<{ floors: { floor: string; rooms: number }[] }>(
      "GET",
      `/api/robots/${id}/maps`,
    );
    assert.equal(floors.body.floors.length, 2);
    const missing = await hub.api<Err>("GET", `/api/robots/${id}/map?floor=cellar`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, "map_not_found");
  });

  it("streams a full map, then deltas while cleaning; a client that follows them has the robot's map", async () => {
    const ws = new WebSocket(`${hub.url.replace("http", "ws")}/api/ws`, { headers: hub.authHeaders() });
    const messages: WsMessage[] = [];
    ws.on("message", (d) => messages.push(JSON.parse(String(d))));
    await new Promise((r) => ws.once("open", r));
    ws.send(JSON.stringify({ type: "map_subscribe", id: "m1", robotId: id }));
    const first = await waitFor("full map on subscribe", () =>
      messages.find((m) => m.type === "map" && m.id === "m1"),
    );
    const map = first.map as MapJson;
    const cells = unRunLength(map.layers.cells, map.width * map.height);
    let version = map.version;
    const path = [...map.path];
    let robot = map.robot;

    const started = await hub.api("POST", `/api/robots/${id}/commands/clean_rooms`, {
      rooms: [{ id: "guest_wc" }],
    });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    await waitFor("a few deltas", () => messages.filter((m) => m.type === "map_delta").length >= 5, 30_000);
    await hub.api("POST", `/api/robots/${id}/commands/stop`);
    await waitFor("robot still", () => !["cleaning", "returning", "moving"].includes(sim().state().status));
    const settled = await waitFor("hub caught up", async () => {
      const r = await getMap();
      return r.body.version === sim().mapVersion("ground") ? r.body : null;
    });
    // The client applies the deltas in order, as docs/api.md says, and ends with the hub's (and robot's) map.
    for (const m of messages.filter((x) => x.type === "map_delta")) {
      const d = m.delta as {
        baseVersion: number;
        version: number;
        robot: typeof robot;
        pathReset: boolean;
        path: number[];
        cells: { start: number; types: number[] }[];
      };
      assert.equal(d.baseVersion, version, "deltas come in order, each on the version before it");
      for (const run of d.cells) cells.set(run.types, run.start);
      if (d.robot) robot = d.robot;
      if (d.pathReset) path.length = 0;
      path.push(...d.path);
      version = d.version;
    }
    assert.equal(version, settled.version);
    assert.deepEqual(robot, settled.robot);
    assert.deepEqual(path, settled.path);
    assert.ok(path.length >= 4, "the session path arrived");
    assert.deepEqual(cells, unRunLength(settled.layers.cells, settled.width * settled.height));
    ws.close();
  });

  it("asks for the whole map when a delta does not fit the version it holds", async () => {
    const held = hub.maps.get(id, "ground");
    held.map.version -= 3; // as if three frames were lost
    const before = hub.lines.length;
    await hub.api("POST", `/api/robots/${id}/commands/go_to`, { x: 10500, y: 3000 });
    await waitFor(
      "resynced",
      () => hub.maps.get(id, "ground").map.version === sim().mapVersion("ground"),
      30_000,
    );
    assert.ok(
      hub.lines.slice(before).some((l) => l.includes("does not fit")),
      "the mismatch was noticed",
    );
    await waitFor("goto done", () => sim().state().job === null, 30_000);
  });

  it("rejects corrupt, truncated and oversized frames, keeps the last good map and tells clients", async () => {
    const ws = new WebSocket(`${hub.url.replace("http", "ws")}/api/ws`, { headers: hub.authHeaders() });
    const messages: WsMessage[] = [];
    ws.on("message", (d) => messages.push(JSON.parse(String(d))));
    await new Promise((r) => ws.once("open", r));
    ws.send(JSON.stringify({ type: "map_subscribe", robotId: id }));
    await waitFor("subscribed", () => messages.some((m) => m.type === "map"));
    const goodVersion = hub.maps.get(id, "ground").map.version;
    const good = encodeFullFrame({ ...sim().mapSnapshot("ground", false), version: goodVersion + 1000 });
    const corrupt = Buffer.from(good);
    corrupt[corrupt.length - 10] ^= 0xff; // inside the zlib body: the Adler-32 check fails
    const server = fleet.get(id).server;
    server.sendRawMapFrame(corrupt);
    server.sendRawMapFrame(good.subarray(0, good.length - 7));
    server.sendRawMapFrame(Buffer.concat([good.subarray(0, 4), Buffer.alloc(2 * 1024 * 1024 + 16)]));
    server.sendRawMapFrame(Buffer.from("not a map at all"));
    await waitFor("four map errors", () => messages.filter((m) => m.type === "map_error").length >= 4);
    const codes = messages
      .filter((m) => m.type === "map_error")
      .map((m) => (m.error as { code: string }).code);
    assert.ok(codes.every((c) => c === "map_frame_invalid"));
    assert.ok(hub.maps.get(id, "ground").map.version < goodVersion + 1000, "no bad frame was taken");
    const r = await getMap();
    assert.equal(r.status, 200, "the last good map is still served");
    assert.equal(hub.robots.get(id).connection, "online", "the connection survived");
    ws.close();
  });

  it("renames, recolours, merges and splits rooms on the robot; restrictions round-trip", async () => {
    let r = await hub.api<MapJson>("PATCH", `/api/robots/${id}/map/rooms/study`, {
      name: "Library",
      color: "#AA3300",
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const study = r.body.rooms.find((x) => x.id === "study");
    assert.equal(study?.name, "Library");
    assert.equal(study?.color, "#aa3300");
    assert.equal(
      sim()
        .rooms()
        .rooms.find((x) => x.id === "study")?.name,
      "Library",
      "the robot has the name",
    );

    r = await hub.api<MapJson>("POST", `/api/robots/${id}/map/rooms/merge`, { rooms: ["kitchen", "dining"] });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.ok(!r.body.rooms.some((x) => x.id === "dining"));
    assert.ok(
      !sim()
        .rooms()
        .rooms.some((x) => x.id === "dining"),
      "merged on the robot",
    );
    const refused = await hub.api<Err>("POST", `/api/robots/${id}/map/rooms/merge`, {
      rooms: ["kitchen", "study"],
    });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.code, "invalid_arguments");

    r = await hub.api<MapJson>("POST", `/api/robots/${id}/map/rooms/split`, {
      room: "living",
      line: { x1: 4500, y1: 0, x2: 4500, y2: 8000 },
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.ok(r.body.rooms.some((x) => x.id === "living_2"));
    assert.ok(
      sim()
        .rooms()
        .rooms.some((x) => x.id === "living_2"),
      "split on the robot",
    );

    r = await hub.api<MapJson>("POST", `/api/robots/${id}/map/restrictions`, {
      kind: "no_go",
      x1: 1500,
      y1: 3500,
      x2: 3700,
      y2: 5000,
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const restriction = r.body.restrictions[0];
    assert.deepEqual(sim().restrictions("ground"), [restriction]);
    r = await hub.api<MapJson>("PUT", `/api/robots/${id}/map/restrictions/${restriction.id}`, {
      kind: "virtual_wall",
      x1: 12000,
      y1: 9000,
      x2: 12000,
      y2: 10000,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(sim().restrictions("ground")[0].kind, "virtual_wall");
    const badDock = await hub.api<Err>("POST", `/api/robots/${id}/map/restrictions`, {
      kind: "no_go",
      x1: 10000,
      y1: 0,
      x2: 11000,
      y2: 1000,
    });
    assert.equal(badDock.status, 400, "a no-go area over the dock is refused");
    r = await hub.api<MapJson>("POST", `/api/robots/${id}/map/restrictions`, {
      kind: "no_mop",
      x1: 0,
      y1: 14000,
      x2: 3000,
      y2: 17000,
    });
    assert.equal(r.body.restrictions.length, 2);
    const gone = await hub.api<MapJson>("DELETE", `/api/robots/${id}/map/restrictions/${restriction.id}`);
    assert.equal(gone.status, 200);
    assert.equal(sim().restrictions("ground").length, 1);
    const unknown = await hub.api<Err>("DELETE", `/api/robots/${id}/map/restrictions/nope`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, "restriction_not_found");
  });

  it("keeps the user's room settings when the robot re-maps the floor", async () => {
    sim().remapFloor("ground");
    const map = await waitFor("re-mapped map with the user's name", async () => {
      const r = await getMap();
      return r.body.rooms.some((x) => x.name === "Library" && x.id !== "study") ? r.body : null;
    });
    const library = map.rooms.find((x) => x.name === "Library")!;
    assert.equal(library.color, "#aa3300");
    await waitFor("the robot got the name back", () =>
      sim()
        .rooms()
        .rooms.some((x) => x.id === library.id && x.name === "Library"),
    );
  });

  it("renders a PNG of the right size and exports Valetudo JSON that imports back", async () => {
    const map = (await getMap()).body;
    const res = await fetch(`${hub.url}/api/robots/${id}/map/image.png?scale=3`, {
      headers: hub.authHeaders(),
    });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(res.headers.get("content-type"), "image/png");
    const image = await loadImage(Buffer.from(await res.arrayBuffer()));
    assert.equal(image.width, map.width * 3);
    assert.equal(image.height, map.height * 3);
    const frame = await fetch(`${hub.url}/api/robots/${id}/map/frame`, { headers: hub.authHeaders() });
    assert.equal(frame.headers.get("content-type"), "application/octet-stream");
    assert.equal(
      Buffer.from(await frame.arrayBuffer())
        .subarray(0, 4)
        .toString(),
      "SWMP",
    );

    const valetudo = await hub.api<{ __class: string; layers: unknown[] }>(
      "GET",
      `/api/robots/${id}/map/valetudo`,
    );
    assert.equal(valetudo.body.__class, "ValetudoMap");
    const back = await hub.api<MapJson>("POST", "/api/maps/import/valetudo?floor=ground", valetudo.body);
    assert.equal(back.status, 200, JSON.stringify(back.body).slice(0, 600));
    assert.deepEqual(back.body.rooms.map((r) => r.name).sort(), map.rooms.map((r) => r.name).sort());
    assert.deepEqual(
      back.body.restrictions.map((r) => r.kind),
      map.restrictions.map((r) => r.kind),
    );
    const bad = await hub.api<Err>("POST", "/api/maps/import/valetudo", { layers: "no" });
    assert.equal(bad.status, 400);
  });

  it("lets viewers read maps but not edit them; others see nothing", async () => {
    const viewer = await addUser(hub.url, hub.owner!, "map-viewer", "member", [{ robotId: id, view: true }]);
    const stranger = await addUser(hub.url, hub.owner!, "map-stranger", "member", []);
    assert.equal((await viewer.api("GET", `/api/robots/${id}/map`)).status, 200);
    const edit = await viewer.api<Err>("PATCH", `/api/robots/${id}/map/rooms/kitchen`, { name: "Nope" });
    assert.equal(edit.status, 403);
    assert.equal(edit.body.error.code, "robot_access_denied");
    assert.equal((await stranger.api("GET", `/api/robots/${id}/map/image.png`)).status, 403);
    const ws = new WebSocket(`${hub.url.replace("http", "ws")}/api/ws`, { headers: stranger.headers });
    const messages: WsMessage[] = [];
    ws.on("message", (d) => messages.push(JSON.parse(String(d))));
    await new Promise((r) => ws.once("open", r));
    ws.send(JSON.stringify({ type: "map_subscribe", id: "s1", robotId: id }));
    const answer = await waitFor("an answer", () => messages.find((m) => m.id === "s1"));
    assert.equal(answer.type, "error");
    assert.equal((answer.error as { code: string }).code, "robot_access_denied");
    ws.close();
  });

  it("keeps each cleaning session's final map, and everything survives a hub restart", async () => {
    const before = await getMap();
    const library = before.body.rooms.find((r) => r.name === "Library")!;
    const run = await hub.api("POST", `/api/robots/${id}/commands/clean_rooms`, {
      rooms: [{ id: library.id }],
    });
    assert.equal(run.status, 200, JSON.stringify(run.body));
    await waitFor(
      "session kept",
      async () => {
        const r = await hub.api<{ snapshots: { jobId: string }[] }>("GET", `/api/robots/${id}/map/snapshots`);
        return r.body.snapshots.length > 0;
      },
      60_000,
    );
    const snaps = await hub.api<{ snapshots: { jobId: string; floor: string }[] }>(
      "GET",
      `/api/robots/${id}/map/snapshots`,
    );
    const snap = await hub.api<MapJson>(
      "GET",
      `/api/robots/${id}/map/snapshots/${snaps.body.snapshots[0].jobId}`,
    );
    assert.equal(snap.status, 200);
    assert.ok(snap.body.path.length > 4, "the session's path is in its map");

    const auth = hub.authHeaders(); // the owner's API token is stored, so it works after the restart
    await hub.stop();
    await fleet.get(id).server.stop(); // the robot is away: the restarted hub serves what it stored
    hub = await startTestHub(hubDir, { onboard: false });
    const res = await fetch(`${hub.url}/api/robots/${id}/map`, { headers: auth });
    assert.equal(res.status, 200);
    const stored = (await res.json()) as MapJson;
    assert.equal(stored.rooms.find((r) => r.name === "Library")?.color, "#aa3300", "room settings survived");
    assert.deepEqual(
      stored.rooms.map((r) => r.id).sort(),
      before.body.rooms.map((r) => r.id).sort(),
      "the rooms survived",
    );
    assert.deepEqual(stored.restrictions, before.body.restrictions, "restrictions survived");
    assert.ok(stored.version >= before.body.version);
  });
});
