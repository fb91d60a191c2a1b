/**
 * Matter end to end: a real matter.js commissioning controller (its own fabric and storage) adds a robot's node
 * from the pairing code the hub's API shows, over real mDNS and UDP inside the test runner's private network
 * namespace, then drives the simulator through Matter commands and watches the robot's state come back.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Logger, LogLevel, type NodeId } from "@matter/main";
import { IdentifyClient } from "@matter/main/behaviors/identify";
import { PowerSourceClient } from "@matter/main/behaviors/power-source";
import { RvcCleanModeClient } from "@matter/main/behaviors/rvc-clean-mode";
import { RvcOperationalStateClient } from "@matter/main/behaviors/rvc-operational-state";
import { RvcRunModeClient } from "@matter/main/behaviors/rvc-run-mode";
import { ServiceAreaClient } from "@matter/main/behaviors/service-area";
import { RvcOperationalState } from "@matter/main/clusters/rvc-operational-state";
import { ManualPairingCodeCodec } from "@matter/main/types";
import type { CommissioningController } from "@project-chip/matter.js";
import type { Endpoint, PairedNode } from "@project-chip/matter.js/device";
import type { MatterNodeInfo, MatterStatus } from "../../hub/matter/matter-types.ts";
import type { SimulatorFleet } from "../../integrations/sweep/simulator/fleet.ts";
import { startFleet, startTestHub, type TestHub, tempDir, waitFor } from "../support/harness.ts";
import {
  commissionWithCode,
  matterHubOptions,
  pairForMatter,
  startController,
} from "../support/matter-controller.ts";

const OpState = RvcOperationalState.OperationalState;
// The controller's own matter.js log (on the console while no hub is running) only when something goes wrong.
Logger.level = LogLevel.WARN;
const BASE_PORT = 15540;

describe("Matter end to end", { timeout: 120_000 }, () => {
  const dir = tempDir("matter");
  const hubDir = join(dir.path, "hub");
  const id = "mattbot-001";
  let fleet: SimulatorFleet;
  let hub: TestHub;
  let controller: CommissioningController;
  let nodeId: NodeId;
  let paired: PairedNode;
  let rvc: Endpoint;
  let codes: MatterNodeInfo;

  const startMatterHub = () => startTestHub(hubDir, matterHubOptions(BASE_PORT));
  const sim = () => fleet.get(id).robot;
  /** A real Matter read (not the subscription's cached copy). */
  const read = async <T>(type: unknown, attrs: string[]) =>
    (await (rvc.getStateOf as (t: unknown, a: string[]) => Promise<unknown>).call(rvc, type, attrs)) as T;

  /** The controller's view, walking the parts tree for the RVC device type rather than assuming endpoint 1. */
  const findRvc = (node: PairedNode): Endpoint => {
    for (const ep of node.parts.values()) {
      if (ep.deviceType === 0x74) return ep;
      for (const child of ep.parts?.values() ?? []) if (child.deviceType === 0x74) return child;
    }
    throw new Error("no robotic vacuum endpoint");
  };

  const connect = async () => {
    paired = await controller.getNode(nodeId);
    paired.connect();
    if (!paired.remoteInitializationDone) await paired.events.initializedFromRemote;
    rvc = findRvc(paired);
  };

  before(async () => {
    fleet = await startFleet({
      dir: dir.path,
      idPrefix: "mattbot",
      timeScale: 50,
      advertise: false,
      plans: ["house"],
    });
    hub = await startMatterHub();
    await pairForMatter(hub, fleet, id, join(dir.path, "controller"));
    controller = await startController("test-controller", "sweephub test");
  });

  after(async () => {
    await controller?.close();
    await hub?.stop();
    await fleet?.stop();
    dir.remove();
  });

  it("shows a pairing code while commissionable, and never logs it", async () => {
    codes = await waitFor("node online", async () => {
      const r = await hub.api<MatterNodeInfo>("GET", `/api/robots/${id}/matter`);
      return r.status === 200 && r.body.commissionable ? r.body : null;
    });
    assert.match(codes.manualPairingCode ?? "", /^\d{11}$/);
    assert.match(codes.qrPairingCode ?? "", /^MT:/);
    assert.equal(codes.port, BASE_PORT);
    const { passcode } = ManualPairingCodeCodec.decode(codes.manualPairingCode as string);
    const logged = hub.lines.join("\n");
    assert.ok(!logged.includes(String(passcode)), "passcode in the log");
    assert.ok(!logged.includes(codes.manualPairingCode as string), "manual code in the log");
  });

  it("is commissioned by a Matter controller from its manual pairing code", async () => {
    nodeId = await commissionWithCode(controller, codes.manualPairingCode as string);
    await connect();
    const after = (await hub.api<MatterNodeInfo>("GET", `/api/robots/${id}/matter`)).body;
    assert.equal(after.commissioned, true);
    assert.equal(after.commissionable, false);
    assert.equal(after.manualPairingCode, null);
    assert.equal(after.fabrics.length, 1);
    assert.equal(after.fabrics[0]?.label, "sweephub test");
  });

  it("reads run modes, clean modes from the robot's capabilities, and the rooms as areas", async () => {
    const run = await read<{ supportedModes: { label: string }[] }>(RvcRunModeClient, ["supportedModes"]);
    assert.deepEqual(
      run.supportedModes.map((m) => m.label),
      ["Idle", "Cleaning", "Mapping"],
    );
    const clean = await read<{ supportedModes: { label: string }[] }>(RvcCleanModeClient, ["supportedModes"]);
    const labels = clean.supportedModes.map((m) => m.label);
    assert.ok(labels.includes("Vacuum, max"), labels.join());
    assert.ok(
      labels.some((l) => l.startsWith("Mop")),
      labels.join(),
    );
    const rooms = (await hub.api<{ rooms: { name: string }[] }>("GET", `/api/robots/${id}/rooms`)).body.rooms;
    const areas = await waitFor("areas published", async () => {
      const sa = await read<{ supportedAreas: { areaInfo: { locationInfo: { locationName: string } } }[] }>(
        ServiceAreaClient,
        ["supportedAreas"],
      );
      return sa.supportedAreas.length > 0 ? sa.supportedAreas : null;
    });
    assert.deepEqual(
      areas.map((a) => a.areaInfo.locationInfo.locationName),
      rooms.map((r) => r.name),
    );
  });

  it("changeToMode(Cleaning) starts the robot; pause, resume and goHome follow; state comes back", async () => {
    const res = await rvc.commandsOf(RvcRunModeClient).changeToMode({ newMode: 1 });
    assert.equal(res.status, 0, res.statusText);
    assert.equal(sim().state().status, "cleaning");
    await waitFor(
      "Running reported",
      () => rvc.stateOf(RvcOperationalStateClient).operationalState === OpState.Running,
    );
    const ops = rvc.commandsOf(RvcOperationalStateClient);
    assert.equal((await ops.pause()).commandResponseState.errorStateId, 0);
    assert.equal(sim().state().status, "paused");
    await waitFor(
      "Paused reported",
      () => rvc.stateOf(RvcOperationalStateClient).operationalState === OpState.Paused,
    );
    // Pausing twice is refused by the robot and reported in Matter terms.
    assert.equal(
      (await ops.pause()).commandResponseState.errorStateId,
      RvcOperationalState.ErrorState.CommandInvalidInState,
    );
    assert.equal((await ops.resume()).commandResponseState.errorStateId, 0);
    assert.equal(sim().state().status, "cleaning");
    assert.equal((await ops.goHome()).commandResponseState.errorStateId, 0);
    // It started next to its dock, so at 50x it may be home already.
    assert.ok(["returning", "docked", "charging"].includes(sim().state().status));
    const homeward: number[] = [OpState.SeekingCharger, OpState.Charging, OpState.Docked];
    await waitFor("SeekingCharger, Charging or Docked reported", () =>
      homeward.includes(rvc.stateOf(RvcOperationalStateClient).operationalState),
    );
    await waitFor("docked", () => sim().state().docked, 30_000);
    await waitFor("Idle run mode", () => rvc.stateOf(RvcRunModeClient).currentMode === 0);
  });

  it("selectAreas then Cleaning cleans exactly those rooms", async () => {
    const sa = await read<{
      supportedAreas: { areaId: number; areaInfo: { locationInfo: { locationName: string } } }[];
    }>(ServiceAreaClient, ["supportedAreas"]);
    const rooms = (await hub.api<{ rooms: { id: string; name: string }[] }>("GET", `/api/robots/${id}/rooms`))
      .body.rooms;
    const chosen = [sa.supportedAreas[2], sa.supportedAreas[0]].map((a) => a?.areaId as number);
    const sel = await rvc.commandsOf(ServiceAreaClient).selectAreas({ newAreas: chosen });
    assert.equal(sel.status, 0, sel.statusText);
    const bad = await rvc.commandsOf(ServiceAreaClient).selectAreas({ newAreas: [9999] });
    assert.equal(bad.status, 1, "unknown area refused");
    await rvc.commandsOf(ServiceAreaClient).selectAreas({ newAreas: chosen });
    const res = await rvc.commandsOf(RvcRunModeClient).changeToMode({ newMode: 1 });
    assert.equal(res.status, 0, res.statusText);
    const job = sim().state().job;
    assert.equal(job?.kind, "rooms");
    const names = new Map(sa.supportedAreas.map((a) => [a.areaId, a.areaInfo.locationInfo.locationName]));
    assert.deepEqual(
      job?.rooms.map((r) => rooms.find((x) => x.id === r)?.name),
      chosen.map((a) => names.get(a)),
    );
    await waitFor("progress reported", async () => {
      const p = await read<{ progress: { areaId: number }[] }>(ServiceAreaClient, ["progress"]);
      return p.progress.length === 2;
    });
    assert.equal((await rvc.commandsOf(RvcRunModeClient).changeToMode({ newMode: 0 })).status, 0);
    await waitFor("job ended", () => sim().state().job === null);
  });

  it("battery, charge state and faults follow the robot", async () => {
    sim().setBattery(42);
    await waitFor("battery 42 %", async () => {
      const p = await read<{ batPercentRemaining: number }>(PowerSourceClient, ["batPercentRemaining"]);
      return p.batPercentRemaining === 84;
    });
    sim().injectFault("brush_jammed");
    await waitFor("BrushJammed", async () => {
      const s = await read<{ operationalState: number; operationalError: { errorStateId: number } }>(
        RvcOperationalStateClient,
        ["operationalState", "operationalError"],
      );
      return (
        s.operationalState === OpState.Error &&
        s.operationalError.errorStateId === RvcOperationalState.ErrorState.BrushJammed
      );
    });
    sim().clearFault();
    await waitFor("fault cleared", async () => {
      const s = await read<{ operationalState: number }>(RvcOperationalStateClient, ["operationalState"]);
      return s.operationalState !== OpState.Error;
    });
    await rvc.commandsOf(IdentifyClient).identify({ identifyTime: 2 });
  });

  it("renaming a room in the hub renames its ServiceArea", async () => {
    await waitFor("robot still", () => !sim().state().job);
    const rooms = (await hub.api<{ rooms: { id: string; name: string }[] }>("GET", `/api/robots/${id}/rooms`))
      .body.rooms;
    const room = rooms[0];
    assert.ok(room);
    const res = await hub.api("POST", `/api/robots/${id}/commands/rename_room`, {
      room: room.id,
      name: "The Snug",
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const names = await waitFor("new name published", async () => {
      const sa = await read<{ supportedAreas: { areaInfo: { locationInfo: { locationName: string } } }[] }>(
        ServiceAreaClient,
        ["supportedAreas"],
      );
      const list = sa.supportedAreas.map((a) => a.areaInfo.locationInfo.locationName);
      return list.includes("The Snug") ? list : null;
    });
    assert.ok(!names.includes(room.name), "the old name is gone");
    assert.equal(names.length, rooms.length, "renaming keeps the same areas");
  });

  it("reordering rooms in the hub reorders the ServiceArea list", async () => {
    const map = await hub.api<{ floor: string; rooms: { id: string; name: string }[] }>(
      "GET",
      `/api/robots/${id}/map`,
    );
    assert.equal(map.status, 200, JSON.stringify(map.body));
    const wanted = [...map.body.rooms].reverse();
    const res = await hub.api("PUT", `/api/robots/${id}/map/rooms/order`, { rooms: wanted.map((r) => r.id) });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    await waitFor("areas in the new order", async () => {
      const sa = await read<{ supportedAreas: { areaInfo: { locationInfo: { locationName: string } } }[] }>(
        ServiceAreaClient,
        ["supportedAreas"],
      );
      return (
        sa.supportedAreas.map((a) => a.areaInfo.locationInfo.locationName).join("|") ===
        wanted.map((r) => r.name).join("|")
      );
    });
  });

  it("a room change on the robot (carried upstairs) updates ServiceArea, grouped by floor", async () => {
    await waitFor("robot still", () => !sim().state().job);
    sim().setFloor("upstairs");
    const sa = await waitFor("two maps", async () => {
      const s = await read<{
        supportedMaps: { mapId: number; name: string }[];
        supportedAreas: { mapId: number | null; areaInfo: { locationInfo: { locationName: string } } }[];
      }>(ServiceAreaClient, ["supportedMaps", "supportedAreas"]);
      return s.supportedMaps.length === 2 ? s : null;
    });
    assert.deepEqual(
      sa.supportedMaps.map((m) => m.name),
      ["Ground", "Upstairs"],
    );
    assert.ok(sa.supportedAreas.every((a) => a.mapId !== null));
    assert.ok(sa.supportedAreas.some((a) => a.areaInfo.locationInfo.locationName === "Kids' room"));
  });

  it("after a hub restart the controller talks to the node without commissioning again", async () => {
    await hub.stop();
    assert.deepEqual(hub.matter.lastStop, { leftover: [], exitedByItself: true }, "Matter stopped cleanly");
    hub = await startMatterHub();
    await hub.matter.ready();
    await waitFor("robot online", async () => hub.robots.get(id).connection === "online");
    const status = (await hub.api<MatterStatus>("GET", "/api/matter")).body;
    assert.equal(status.state, "running");
    assert.equal(status.nodes[0]?.commissioned, true);
    const run = await waitFor("read after restart", async () =>
      read<{ currentMode: number }>(RvcRunModeClient, ["currentMode"]),
    );
    assert.equal(run.currentMode, 0);
  });

  it("opens a new commissioning window for another controller, and removes a controller (multi-admin)", async () => {
    const before = (await hub.api<MatterNodeInfo>("GET", `/api/robots/${id}/matter`)).body;
    assert.equal(before.commissioned, true);
    assert.equal(before.commissionable, false, "no codes once commissioned, until a window is opened");
    assert.equal(before.manualPairingCode, null);
    assert.equal(before.fabrics.length, 1);
    const opened = await hub.api<MatterNodeInfo>("POST", `/api/robots/${id}/matter/commissioning-window`, {});
    assert.equal(opened.status, 200, JSON.stringify(opened.body));
    assert.equal(opened.body.commissionable, true);
    assert.match(opened.body.manualPairingCode ?? "", /^\d{11}$/);
    assert.ok((opened.body.windowClosesAt ?? 0) > Date.now());
    // A second controller (another ecosystem) joins through the window, then the owner removes it again.
    const second = await startController("second-controller", "second home app");
    try {
      await commissionWithCode(second, opened.body.manualPairingCode as string);
      const both = (await hub.api<MatterNodeInfo>("GET", `/api/robots/${id}/matter`)).body;
      assert.deepEqual(both.fabrics.map((f) => f.label).sort(), ["second home app", "sweephub test"]);
      assert.equal(both.commissionable, false, "the window closes once the controller is added");
      const other = both.fabrics.find((f) => f.label === "second home app");
      assert.ok(other);
      const removed = await hub.api<MatterNodeInfo>(
        "DELETE",
        `/api/robots/${id}/matter/fabrics/${other.fabricIndex}`,
      );
      assert.equal(removed.status, 200, JSON.stringify(removed.body));
      assert.deepEqual(
        removed.body.fabrics.map((f) => f.label),
        ["sweephub test"],
      );
    } finally {
      await second.close();
    }
    const unknown = await hub.api<{ error: { code: string } }>(
      "DELETE",
      `/api/robots/${id}/matter/fabrics/200`,
    );
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, "matter_fabric_not_found");
  });

  it("unpairing the robot removes its node and its Matter storage", async () => {
    assert.equal((await hub.api("DELETE", `/api/robots/${id}`)).status, 204);
    await hub.matter.settled();
    const status = (await hub.api<MatterStatus>("GET", "/api/matter")).body;
    assert.equal(status.nodes.length, 0);
    assert.equal(existsSync(join(hubDir, "matter", `robot-${id}`)), false);
    assert.equal((await hub.api("GET", `/api/robots/${id}/matter`)).status, 404);
  });
});
