/**
 * The Mapping run mode end to end: a real matter.js controller commissions a robot whose simulator has a mapping
 * pass, reads Mapping among the supported run modes, starts the pass with changeToMode(Mapping) and follows
 * currentMode from Mapping back to Idle once the robot docks; Cleaning <-> Mapping directly is InvalidInMode.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Logger, LogLevel, type NodeId } from "@matter/main";
import { RvcRunModeClient } from "@matter/main/behaviors/rvc-run-mode";
import { ModeBase } from "@matter/main/clusters/mode-base";
import { RvcRunMode } from "@matter/main/clusters/rvc-run-mode";
import type { CommissioningController } from "@project-chip/matter.js";
import type { Endpoint, PairedNode } from "@project-chip/matter.js/device";
import type { MatterNodeInfo } from "../../hub/matter/matter-types.ts";
import type { SimulatorFleet } from "../../integrations/sweep/simulator/fleet.ts";
import { startFleet, startTestHub, type TestHub, tempDir, waitFor } from "../support/harness.ts";
import {
  commissionWithCode,
  matterHubOptions,
  pairForMatter,
  startController,
} from "../support/matter-controller.ts";

Logger.level = LogLevel.WARN;
const MAPPING = 2;
const CLEANING = 1;
const IDLE = 0;

describe("Matter Mapping run mode", { timeout: 120_000 }, () => {
  const dir = tempDir("matter-mapping");
  const id = "mapmat-001";
  let fleet: SimulatorFleet;
  let hub: TestHub;
  let controller: CommissioningController;
  let rvc: Endpoint;
  const sim = () => fleet.get(id).robot;
  const currentMode = () => rvc.stateOf(RvcRunModeClient).currentMode as number;

  before(async () => {
    fleet = await startFleet({
      dir: dir.path,
      idPrefix: "mapmat",
      timeScale: 50,
      advertise: false,
      plans: ["apartment"],
      explored: false,
    });
    hub = await startTestHub(join(dir.path, "hub"), matterHubOptions(17540));
    await pairForMatter(hub, fleet, id, join(dir.path, "controller"));
    controller = await startController("mapping-controller", "sweephub mapping test");
    const codes = await waitFor("node commissionable", async () => {
      const r = await hub.api<MatterNodeInfo>("GET", `/api/robots/${id}/matter`);
      return r.status === 200 && r.body.commissionable ? r.body : null;
    });
    const nodeId: NodeId = await commissionWithCode(controller, codes.manualPairingCode as string);
    const node: PairedNode = await controller.getNode(nodeId);
    node.connect();
    if (!node.remoteInitializationDone) await node.events.initializedFromRemote;
    const found = [...node.parts.values()].find((ep) => ep.deviceType === 0x74);
    assert.ok(found, "robotic vacuum endpoint");
    rvc = found;
  });

  after(async () => {
    await controller?.close();
    await hub?.stop();
    await fleet?.stop();
    dir.remove();
  });

  it("offers Mapping (mode tag Mapping) next to Idle and Cleaning", async () => {
    const { supportedModes } = (await (rvc.getStateOf as (t: unknown, a: string[]) => Promise<unknown>).call(
      rvc,
      RvcRunModeClient,
      ["supportedModes"],
    )) as { supportedModes: { label: string; mode: number; modeTags: { value: number }[] }[] };
    assert.deepEqual(
      supportedModes.map((m) => [m.mode, m.label, m.modeTags.map((t) => t.value)]),
      [
        [IDLE, "Idle", [RvcRunMode.ModeTag.Idle]],
        [CLEANING, "Cleaning", [RvcRunMode.ModeTag.Cleaning]],
        [MAPPING, "Mapping", [RvcRunMode.ModeTag.Mapping]],
      ],
    );
  });

  it("changeToMode(Mapping) runs the mapping pass: Mapping while it explores, Idle once docked", async () => {
    const res = await rvc.commandsOf(RvcRunModeClient).changeToMode({ newMode: MAPPING });
    assert.equal(res.status, ModeBase.ModeChangeStatus.Success, res.statusText);
    assert.equal(sim().state().job?.kind, "mapping");
    await waitFor("Mapping reported", () => currentMode() === MAPPING);
    // Straight to Cleaning from Mapping is not allowed (no DirectModeChange): the robot keeps mapping.
    const direct = await rvc.commandsOf(RvcRunModeClient).changeToMode({ newMode: CLEANING });
    assert.equal(direct.status, ModeBase.ModeChangeStatus.InvalidInMode);
    assert.equal(sim().state().job?.kind, "mapping");
    await waitFor("robot docked after exploring", () => sim().state().docked && !sim().state().job, 90_000);
    await waitFor("Idle reported", () => currentMode() === IDLE);
    assert.ok(
      sim()
        .mapSnapshot(undefined, false)
        .rooms.every((r) => r.id.startsWith("seg")),
      "the floor was explored and segmented",
    );
    const history = await hub.api<{ sessions: { kind: string; result: string }[] }>(
      "GET",
      `/api/robots/${id}/history`,
    );
    assert.equal(history.body.sessions[0]?.kind, "mapping");
    assert.equal(history.body.sessions[0]?.result, "completed");
  });

  it("changeToMode(Mapping) while cleaning answers InvalidInMode and the robot keeps cleaning", async () => {
    const start = await rvc.commandsOf(RvcRunModeClient).changeToMode({ newMode: CLEANING });
    assert.equal(start.status, ModeBase.ModeChangeStatus.Success, start.statusText);
    await waitFor("Cleaning reported", () => currentMode() === CLEANING);
    const res = await rvc.commandsOf(RvcRunModeClient).changeToMode({ newMode: MAPPING });
    assert.equal(res.status, ModeBase.ModeChangeStatus.InvalidInMode);
    assert.match(res.statusText ?? "", /cleaning/i);
    assert.equal(sim().state().status, "cleaning");
    const idle = await rvc.commandsOf(RvcRunModeClient).changeToMode({ newMode: IDLE });
    assert.equal(idle.status, ModeBase.ModeChangeStatus.Success, idle.statusText);
  });
});
