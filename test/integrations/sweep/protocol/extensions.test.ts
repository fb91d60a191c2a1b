/**
 * Extensions (docs/protocol.md §6.1) over a real robot server: a hub that enabled `mapping_pass` sees a mapping
 * pass as job kind `mapping`; a plain v1 hub on the same robot at the same time sees `goto` in every state, result
 * and event, values its v1 schemas accept.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { connectToRobot, pairWithRobot, type RobotLink } from "../../../../integrations/sweep/hub-client.ts";
import { createIdentity } from "../../../../integrations/sweep/protocol/identity.ts";
import type { EventName } from "../../../../integrations/sweep/protocol/methods.ts";
import type { Job, RobotState } from "../../../../integrations/sweep/protocol/robot-state.ts";
import type { SimulatorFleet } from "../../../../integrations/sweep/simulator/fleet.ts";
import { memoryLogger, startFleet, TEST_CODES, tempDir, waitFor } from "../../../support/harness.ts";

/** Every job kind a version 1 hub without extensions accepts. */
const V1_JOB_KINDS = ["full", "rooms", "zones", "goto"];

describe("protocol extensions", () => {
  const dir = tempDir("extensions");
  let fleet: SimulatorFleet;
  let modern: RobotLink;
  let plain: RobotLink;
  const seen: { link: "modern" | "plain"; name: EventName; payload: unknown }[] = [];

  before(async () => {
    fleet = await startFleet({ dir: dir.path, idPrefix: "ext", timeScale: 20, advertise: false });
    const { log } = memoryLogger();
    const hub = { id: "hub-ext", name: "Extension test hub", identity: await createIdentity("hub-ext") };
    const address = { host: "127.0.0.1", port: fleet.robots[0].port };
    const paired = await pairWithRobot({ address, hub, log, code: TEST_CODES[0] });
    const options = { address, hub, log, pinnedFingerprint: paired.fingerprint };
    modern = await connectToRobot(options);
    plain = await connectToRobot({ ...options, extensions: [] });
    modern.peer.onEvent((name, payload) => seen.push({ link: "modern", name, payload }));
    plain.peer.onEvent((name, payload) => seen.push({ link: "plain", name, payload }));
  });
  after(async () => {
    modern?.peer.close(1000, "done");
    plain?.peer.close(1000, "done");
    await fleet?.stop();
    dir.remove();
  });

  it("writes a mapping pass as `mapping` only for hubs that enabled the extension", async () => {
    assert.ok(modern.hello.capabilities.mapping_pass);
    const { state } = await modern.peer.request("map.explore", {});
    assert.equal(state.job?.kind, "mapping");
    assert.equal(state.status, "moving");
    const asPlain = (await plain.peer.request("state.get", {})).state;
    assert.equal(asPlain.job?.kind, "goto");
    assert.equal(asPlain.job?.target, null);
    assert.equal(asPlain.job?.id, state.job?.id);

    // A plain hub that starts one gets the v1 form in its own answer too.
    await modern.peer.request("clean.stop", {});
    const own = await plain.peer.request("map.explore", {});
    assert.equal(own.state.job?.kind, "goto");
    await plain.peer.request("clean.stop", {});

    await waitFor("both finishes on both links", () =>
      seen.filter((e) => e.name === "event.cleaning_finished").length >= 4 ? true : null,
    );
    const kinds = (link: "modern" | "plain") =>
      seen
        .filter((e) => e.link === link)
        .flatMap((e) => {
          if (e.name === "event.state") return [(e.payload as RobotState).job?.kind].filter(Boolean);
          if (e.name === "event.cleaning_started") return [(e.payload as { job: Job }).job.kind];
          if (e.name === "event.cleaning_finished") return [(e.payload as { kind: string }).kind];
          return [];
        });
    assert.ok(kinds("modern").includes("mapping"), JSON.stringify(kinds("modern")));
    assert.ok(
      kinds("plain").every((k) => k !== undefined && V1_JOB_KINDS.includes(k)),
      JSON.stringify(kinds("plain")),
    );
    assert.ok(kinds("plain").includes("goto"));
  });
});
