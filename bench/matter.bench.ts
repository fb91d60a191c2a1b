/**
 * Matter (issue 7): the hub's memory with 1, 5 and 10 robots exposed as standalone nodes and behind a bridge,
 * against the same hub with Matter off (the baseline, same run), each hub measured twice after a full GC and a
 * line fitted through the points for the memory per robot; hub-ready time with Matter on and off (matter.js
 * must load off the critical path); the longest event-loop stall while Matter starts, in its worker thread
 * against matter.js started on the hub's own thread (the design before the worker); commissioning time; and a
 * Matter command's round trip to the robot against the same command over the HTTP API.
 *
 * Each hub runs alone in a child process (bench/support/matter-hub-process.ts) with its robots in another
 * (robot-fleet-process.ts); the controller (matter.js CommissioningController) runs here. Loopback only, inside
 * the private network namespace `npm run bench` creates (mDNS on lo).
 */
import { loadavg } from "node:os";
import { join } from "node:path";
import { Logger, LogLevel } from "@matter/main";
import { RvcOperationalStateClient } from "@matter/main/behaviors/rvc-operational-state";
import type { Endpoint } from "@project-chip/matter.js/device";
import { onboardOwner, tokenClientFor } from "../test/support/accounts.ts";
import {
  commissionWithCode,
  startController,
  useControllerEnvironment,
} from "../test/support/matter-controller.ts";
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
/** Hubs per mode and robot count: the spread between repeats shows how much of a difference is noise. */
const REPEATS = 3;
const SAMPLES = 200;
type Mode = "off" | "standalone" | "bridge" | "inline";

interface HubReport {
  url: string;
  hubReadyMs: number;
  matterReadyMs: number | null;
  maxLagMs: number;
  rss: number;
  heapUsed: number;
  code: string | null;
  robotId: string | null;
}

export default async function matterBench(ctx: BenchContext): Promise<BenchSection> {
  // Start-up times and stalls depend on what else the machine is doing; the section says how busy it was.
  const loadAtStart = loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ");
  Logger.level = LogLevel.WARN;
  const children: Child[] = [];
  let port = 25540;
  let run = 0;
  const runHub = async (mode: Mode, count: number, keep = false) => {
    // Every hub gets fresh folders: a hub that kept its data would find its robots already paired.
    const tag = `${mode}-${count}-${run++}`;
    const fleet = await startTsChild(join(ctx.root, "bench/support/robot-fleet-process.ts"), [
      join(ctx.tmpDir, `sim-${tag}`),
      String(count),
    ]);
    const robots = (JSON.parse(fleet.firstLine) as { robots: unknown[] }).robots;
    const hub = await startTsChild(
      join(ctx.root, "bench/support/matter-hub-process.ts"),
      [join(ctx.tmpDir, `hub-${tag}`), JSON.stringify(robots), mode, String(port)],
      90_000,
      ["--expose-gc"],
    );
    port += 20;
    const report = JSON.parse(hub.firstLine) as HubReport;
    if (keep) children.push(fleet, hub);
    else await Promise.all([hub.stop(), fleet.stop()]);
    return report;
  };

  try {
    /** Every hub's report by mode, and by mode and robot count. */
    const reports = new Map<string, HubReport[]>();
    const keep = (key: string, r: HubReport) => reports.set(key, [...(reports.get(key) ?? []), r]);
    for (let rep = 0; rep < REPEATS; rep++) {
      for (const mode of ["off", "standalone", "bridge"] as const) {
        for (const n of COUNTS) {
          ctx.progress(`hub with ${n} robot(s), Matter ${mode} (${rep + 1}/${REPEATS})`);
          const r = await runHub(mode, n);
          keep(mode, r);
          keep(`${mode}-${n}`, r);
        }
      }
      ctx.progress(`hub with 1 robot, matter.js started on the hub's own thread (${rep + 1}/${REPEATS})`);
      keep("inline-1", await runHub("inline", 1));
    }
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    type Metric = "rss" | "heapUsed";
    const valuesOf = (metric: Metric, mode: string, n: number) =>
      (reports.get(`${mode}-${n}`) ?? []).map((r) => r[metric]);
    /** One table row per robot count: the mean of the repeats ± half their spread, and the cost over Matter off. */
    const memoryRows = (metric: Metric) =>
      COUNTS.map((n) => {
        const base = mean(valuesOf(metric, "off", n));
        const spread = (mode: string) => {
          const v = valuesOf(metric, mode, n);
          return `±${mib((Math.max(...v) - Math.min(...v)) / 2)}`;
        };
        const cell = (mode: string) => {
          const v = mean(valuesOf(metric, mode, n));
          return `${mib(v)} ${spread(mode)} MiB (+${mib(v - base)}; ${(v / base).toFixed(2)}x)`;
        };
        return [String(n), `${mib(base)} ${spread("off")} MiB`, cell("standalone"), cell("bridge")];
      });
    /** Least-squares slope over robot count (every repeat a point) and the largest distance from the line. */
    const fit = (metric: Metric, mode: string) => {
      const pts = COUNTS.flatMap((n) => valuesOf(metric, mode, n).map((y) => [n, y] as const));
      const mx = mean(pts.map((p) => p[0]));
      const my = mean(pts.map((p) => p[1]));
      const sxy = pts.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
      const sxx = pts.reduce((a, [x]) => a + (x - mx) ** 2, 0);
      const slope = sxy / sxx;
      const residual = Math.max(...pts.map(([x, y]) => Math.abs(y - (my + slope * (x - mx)))));
      return { slope, residual };
    };
    const perRobot = (metric: Metric) => {
      const off = fit(metric, "off");
      const line = (mode: "standalone" | "bridge") => {
        const f = fit(metric, mode);
        return `${mode} ${mib(f.slope)} MiB per robot (Matter's share ${mib(f.slope - off.slope)}; farthest hub ${mib(f.residual)} MiB from the line)`;
      };
      return `Matter off ${mib(off.slope)} MiB per robot (farthest hub ${mib(off.residual)} MiB from the line); ${line("standalone")}; ${line("bridge")}`;
    };

    ctx.progress("commissioning and command latency against a standalone node");
    const live = await runHub("standalone", 1, true);
    // The controller's fabric and keys go to this run's folder, never ~/.matter.
    useControllerEnvironment(join(ctx.tmpDir, "controller"));
    const controller = await startController("bench-controller", "bench");
    const t0 = performance.now();
    const nodeId = await commissionWithCode(controller, live.code as string);
    const commissionMs = performance.now() - t0;
    const node = await controller.getNode(nodeId);
    node.connect();
    if (!node.remoteInitializationDone) await node.events.initializedFromRemote;
    const rvc = [...node.parts.values()].find((e) => e.deviceType === 0x74) as Endpoint;
    const ops = rvc.commandsOf(RvcOperationalStateClient);
    const robotId = live.robotId as string;
    // The API needs a signed-in user since accounts exist: the owner's API token, as a script would use.
    const auth = (await tokenClientFor(live.url, await onboardOwner(live.url))).headers;
    const http = (cmd: string) =>
      fetch(`${live.url}/api/robots/${robotId}/commands/${cmd}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...auth },
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
    const median = (v: number[]) => {
      const sorted = [...v].sort((a, b) => a - b);
      return sorted[Math.floor((sorted.length - 1) / 2)] as number;
    };
    const of = (key: string, pick: (r: HubReport) => number) => (reports.get(key) ?? []).map(pick);
    // Hub ready does not depend on the robot count (they are paired after): every hub of a mode counts.
    const readyOff = median(of("off", (r) => r.hubReadyMs));
    const readyOn = median(of("standalone", (r) => r.hubReadyMs));
    const matterRunning = median(of("standalone-1", (r) => r.matterReadyMs ?? 0));
    // Stalls with one robot paired, so every mode does the same besides Matter: median and worst of the hubs.
    const stall = (key: string) => ({
      median: median(of(key, (r) => r.maxLagMs)),
      max: Math.max(...of(key, (r) => r.maxLagMs)),
    });
    const [stallOff, stallWorker, stallInline] = [stall("off-1"), stall("standalone-1"), stall("inline-1")];
    const stallCell = (x: { median: number; max: number }) => `${ms(x.median)} ms (worst ${ms(x.max)})`;
    const table = [
      markdownTable(
        ["robots", "RSS, Matter off (baseline)", "standalone nodes", "bridge"],
        memoryRows("rss"),
      ),
      "",
      markdownTable(
        ["robots", "JS heap in use, both threads, Matter off (baseline)", "standalone nodes", "bridge"],
        memoryRows("heapUsed"),
      ),
      "",
      markdownTable(
        ["measurement", "value", "baseline (same run)", "ratio"],
        [
          [
            "hub ready (`startHub` returns), Matter on (median)",
            `${ms(readyOn)} ms`,
            `${ms(readyOff)} ms (Matter off)`,
            (readyOn / readyOff).toFixed(2),
          ],
          ["Matter running after hub start (1 robot, median)", `${ms(matterRunning)} ms`, "", ""],
          [
            "longest event-loop stall from hub ready to Matter running, Matter in its worker thread",
            stallCell(stallWorker),
            `${stallCell(stallOff)} (Matter off)`,
            (stallWorker.median / Math.max(stallOff.median, 1)).toFixed(2),
          ],
          [
            "the same, matter.js started on the hub's own thread (the design before the worker)",
            stallCell(stallInline),
            `${stallCell(stallOff)} (Matter off)`,
            (stallInline.median / Math.max(stallOff.median, 1)).toFixed(2),
          ],
          ["commissioning (PASE + CASE, `commissionNode`)", `${ms(commissionMs)} ms`, "", ""],
          [
            "Matter pause/resume -> robot paused/started, p50 / p99",
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
        `Memory after three forced garbage collections in both threads (\`--expose-gc\`), ${REPEATS} hubs per cell (mean ± half the spread): RSS of the whole hub process, and the V8 heap in use of the hub's thread plus the Matter worker's. Memory per robot is the slope of a least-squares line through all ${REPEATS * COUNTS.length} hubs of a mode. By RSS: ${perRobot("rss")}. By JS heap: ${perRobot("heapUsed")}. RSS varies by more between identical hubs than the robots add (native allocations, glibc arenas per thread), so read the per-robot cost from the heap; Matter's fixed cost is the difference at 1 robot (matter.js and the worker thread's own V8 heap).`,
        `Hub ready is when \`startHub\` returns (HTTP API listening, robot sessions started), the median of all ${REPEATS * COUNTS.length} hubs of a mode; Matter starts after it in a worker thread. The stall is the longest gap of a 10 ms timer on the hub's thread while one robot is paired and Matter starts (median and worst of ${REPEATS} hubs): with matter.js on the hub's own thread, its synchronous module evaluation and node creation block everything else (dashboard, robot sessions) for that long. With the worker, no task on the hub's thread runs that long (CPU profile of a hub: its longest task after start-up was the start-up backup, 68 ms); what remains is the hub's thread waiting for a core while the worker loads matter.js, so it grows with the machine's load. Load average when this benchmark started: ${loadAtStart}.`,
        `Command latency: one command in flight at a time, ${m.count} samples each, Matter commands from a matter.js controller over a CASE session on loopback; both paths end in the same RobotManager.command and wait for the robot's answer, so the robot has started (or paused) when the command returns. Matter commands cross from the worker to the hub's thread and back.`,
      ],
    };
  } finally {
    await Promise.all(children.map((c) => c.stop()));
  }
}
