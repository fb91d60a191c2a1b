/**
 * Matter (issue 7): the hub's memory with 1, 5 and 10 robots exposed as standalone nodes and behind a bridge,
 * against the same hub with Matter off (the baseline, same run); hub-ready time with Matter on and off (matter.js
 * must load off the critical path); commissioning time; and a Matter command's round trip to the robot against
 * the same command over the HTTP API.
 *
 * Each hub runs alone in a child process (bench/support/matter-hub-process.ts) with its robots in another
 * (robot-fleet-process.ts); the controller (matter.js CommissioningController) runs here. Loopback only, inside
 * the private network namespace `npm run bench` creates (mDNS on lo).
 */
import { join } from "node:path";
import { Environment, Logger, LogLevel } from "@matter/main";
import { RvcOperationalStateClient } from "@matter/main/behaviors/rvc-operational-state";
import { ManualPairingCodeCodec } from "@matter/main/types";
import { CommissioningController } from "@project-chip/matter.js";
import type { Endpoint } from "@project-chip/matter.js/device";
import {
  type BenchContext,
  type BenchSection,
  markdownTable,
  measureInterleaved,
  mib,
  ms,
  summarize,
} from "./support/bench-section.ts";
import { type Child, startTsChild } from "./support/child-process.ts";

const COUNTS = [1, 5, 10] as const;
const SAMPLES = 200;

interface HubReport {
  url: string;
  hubReadyMs: number;
  matterReadyMs: number | null;
  maxLagMs: number;
  rss: number;
  code: string | null;
  robotId: string | null;
}

export default async function matterBench(ctx: BenchContext): Promise<BenchSection> {
  Logger.level = LogLevel.WARN;
  const children: Child[] = [];
  let port = 25540;
  const runHub = async (mode: "off" | "standalone" | "bridge", count: number, keep = false) => {
    // Every hub gets fresh folders: a hub that kept its data would find its robots already paired.
    const tag = `${mode}-${count}${keep ? "-live" : ""}`;
    const fleet = await startTsChild(join(ctx.root, "bench/support/robot-fleet-process.ts"), [
      join(ctx.tmpDir, `sim-${tag}`),
      String(count),
    ]);
    const robots = (JSON.parse(fleet.firstLine) as { robots: unknown[] }).robots;
    const hub = await startTsChild(
      join(ctx.root, "bench/support/matter-hub-process.ts"),
      [join(ctx.tmpDir, `hub-${tag}`), JSON.stringify(robots), mode, String(port)],
      90_000,
    );
    port += 20;
    const report = JSON.parse(hub.firstLine) as HubReport;
    if (keep) children.push(fleet, hub);
    else await Promise.all([hub.stop(), fleet.stop()]);
    return report;
  };

  try {
    const rows: string[][] = [];
    const rss: Record<string, number> = {};
    const ready: Record<string, HubReport> = {};
    for (const mode of ["off", "standalone", "bridge"] as const) {
      for (const n of COUNTS) {
        ctx.progress(`hub with ${n} robot(s), Matter ${mode}`);
        const r = await runHub(mode, n);
        rss[`${mode}-${n}`] = r.rss;
        ready[`${mode}-${n}`] = r;
      }
    }
    for (const n of COUNTS) {
      const base = rss[`off-${n}`] as number;
      const cell = (mode: string) => {
        const v = rss[`${mode}-${n}`] as number;
        return `${mib(v)} MiB (+${mib(v - base)}; ${(v / base).toFixed(2)}x)`;
      };
      rows.push([String(n), `${mib(base)} MiB`, cell("standalone"), cell("bridge")]);
    }
    const perRobot = (mode: string) =>
      ((rss[`${mode}-10`] as number) - (rss[`${mode}-1`] as number)) / 9 / 1024 / 1024;

    ctx.progress("commissioning and command latency against a standalone node");
    const live = await runHub("standalone", 1, true);
    // The controller's fabric and keys go to this run's folder, never ~/.matter.
    Environment.default.vars.set("storage.path", join(ctx.tmpDir, "controller"));
    Environment.default.vars.set("mdns.networkInterface", "lo");
    const controller = new CommissioningController({
      environment: { environment: Environment.default, id: "bench-controller" },
      autoConnect: false,
      adminFabricLabel: "bench",
    });
    await controller.start();
    const { shortDiscriminator, passcode } = ManualPairingCodeCodec.decode(live.code as string);
    const t0 = performance.now();
    const nodeId = await controller.commissionNode(
      {
        commissioning: { regulatoryLocation: 2, regulatoryCountryCode: "XX" },
        discovery: {
          identifierData: { shortDiscriminator: shortDiscriminator as number },
          discoveryCapabilities: { onIpNetwork: true },
        },
        passcode,
      },
      { connectNodeAfterCommissioning: false },
    );
    const commissionMs = performance.now() - t0;
    const node = await controller.getNode(nodeId);
    node.connect();
    if (!node.remoteInitializationDone) await node.events.initializedFromRemote;
    const rvc = [...node.parts.values()].find((e) => e.deviceType === 0x74) as Endpoint;
    const ops = rvc.commandsOf(RvcOperationalStateClient);
    const robotId = live.robotId as string;
    const http = (cmd: string) =>
      fetch(`${live.url}/api/robots/${robotId}/commands/${cmd}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      }).then((r) => {
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
      });
    await http("start");
    // Alternating pause/resume: each sample is one command whose robot-side effect is immediate (start/stop).
    let matterPaused = false;
    let httpPaused = false;
    const [viaHttp, viaMatter] = await measureInterleaved(
      [
        () => {
          httpPaused = !httpPaused;
          return http(httpPaused ? "pause" : "resume");
        },
        async () => {
          matterPaused = !matterPaused;
          const res = await (matterPaused ? ops.pause() : ops.resume());
          if (res.commandResponseState.errorStateId !== 0) throw new Error("command refused");
        },
      ],
      { warmup: 10, count: SAMPLES, maxMs: 60_000, block: 10, settle: 2 },
    );
    await controller.close();
    const h = summarize(viaHttp as number[]);
    const m = summarize(viaMatter as number[]);
    const off = ready["off-1"] as HubReport;
    const on = ready["standalone-1"] as HubReport;
    const table = [
      markdownTable(["robots", "RSS, Matter off (baseline)", "standalone nodes", "bridge"], rows),
      "",
      markdownTable(
        ["measurement", "value", "baseline (same run)", "ratio"],
        [
          [
            "hub ready (`startHub` returns), Matter on",
            `${ms(on.hubReadyMs)} ms`,
            `${ms(off.hubReadyMs)} ms (off)`,
            (on.hubReadyMs / off.hubReadyMs).toFixed(2),
          ],
          ["Matter running after hub start (1 robot)", `${ms(on.matterReadyMs ?? 0)} ms`, "", ""],
          [
            "longest event-loop stall while Matter starts",
            `${ms(on.maxLagMs)} ms`,
            `${ms(off.maxLagMs)} ms (off)`,
            "",
          ],
          ["commissioning (PASE + CASE, `commissionNode`)", `${ms(commissionMs)} ms`, "", ""],
          [
            "Matter pause/resume -> robot, p50 / p99",
            `${ms(m.p50)} / ${ms(m.p99)} ms`,
            `${ms(h.p50)} / ${ms(h.p99)} ms (HTTP API)`,
            `${(m.p50 / h.p50).toFixed(2)} / ${(m.p99 / h.p99).toFixed(2)}`,
          ],
        ],
      ),
    ].join("\n");
    return {
      title: "Matter: memory per robot, start-up off the critical path, commissioning, command latency",
      table,
      notes: [
        `Memory per additional robot: ${perRobot("standalone").toFixed(1)} MiB as a standalone node, ${perRobot("bridge").toFixed(1)} MiB behind the bridge (RSS at 10 robots minus at 1, over 9). matter.js itself costs the difference at 1 robot.`,
        "Hub ready is when `startHub` returns (HTTP API listening, robot sessions started); Matter loads after it in the background, so it should match the Matter-off hub. The import of matter.js is synchronous module evaluation: the stall column shows how long the event loop was blocked by it.",
        `Command latency: one command in flight at a time, ${m.count} samples each, Matter commands from a matter.js controller over a CASE session on loopback; both paths end in the same RobotManager.command and wait for the robot's answer, so the robot has started (or paused) when the command returns.`,
      ],
    };
  } finally {
    await Promise.all(children.map((c) => c.stop()));
  }
}
