/**
 * Command round trip hub -> robot -> hub (issue 3 §6; target: p99 at most 1.3x a raw WebSocket echo over TLS
 * between two processes, measured in the same run), and the hub's memory with three robots paired.
 *
 * The robots run in a child process (bench/support/robot-fleet-process.ts) and the echo baseline in another
 * (bench/support/tls-echo-server.ts), both on loopback. The hub runs in this process, as `startHub()` builds it
 * for real (SQLite file, HTTP server, sessions with heartbeats), logging JSON at `info` to /dev/null so the
 * cost of the log lines is included but the terminal is not flooded.
 */
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import pino from "pino";
import WebSocket from "ws";
import { startHub } from "../hub/main.ts";
import { RobotRepository } from "../hub/store/robot-repository.ts";
import { connectToRobot } from "../integrations/sweep/hub-client.ts";
import { MAX_WIRE_FRAME_BYTES, PROTOCOL_PATH } from "../integrations/sweep/protocol/constants.ts";
import { createIdentity, loadOrCreateIdentity } from "../integrations/sweep/protocol/identity.ts";
import { onboardOwner, tokenClientFor } from "../test/support/accounts.ts";
import {
  type BenchContext,
  type BenchSection,
  type Latency,
  markdownTable,
  measureInterleaved,
  mib,
  ms,
  summarize,
} from "./support/bench-section.ts";
import { type Child, startTsChild } from "./support/child-process.ts";

const WARMUP = 300;
const COUNT = 3_000;
/** Per phase; a slow machine reports fewer samples rather than hanging the run. */
const MAX_MS = 120_000;
const TARGET_P99_RATIO = 1.3;
const ROBOTS = 3;

interface Operation {
  name: string;
  what: string;
  run: () => Promise<unknown>;
}

interface PhaseResult {
  rows: { name: string; what: string; latency: Latency }[];
  samples: number[][];
  online: Memory;
  after: Memory;
}

export default async function commandRoundTrip(ctx: BenchContext): Promise<BenchSection> {
  const baseline = await settledMemory();
  const children: Child[] = [];
  try {
    ctx.progress(`starting the echo server and ${ROBOTS} simulated robots (child processes)`);
    const echo = await startTsChild(join(ctx.root, "bench/support/tls-echo-server.ts"), []);
    children.push(echo);
    const fleet = await startTsChild(join(ctx.root, "bench/support/robot-fleet-process.ts"), [
      join(ctx.tmpDir, "simulator"),
      String(ROBOTS),
    ]);
    children.push(fleet);
    const { robots } = JSON.parse(fleet.firstLine) as { robots: SimulatedRobotInfo[] };
    const echoWs = await openEchoClient(Number(/port=(\d+)/.exec(echo.firstLine)?.[1]));
    // Same bytes as a protocol `locate` request, so the echo carries what the real request carries.
    const frame = JSON.stringify({ v: 1, id: "h123456", type: "locate", payload: {} });
    const echoOnce = () =>
      new Promise<void>((resolve) => {
        echoWs.once("message", () => resolve());
        echoWs.send(frame);
      });
    const dataDir = join(ctx.tmpDir, "hub");
    try {
      ctx.progress("phase 1: the hub without Matter (protocol and command path)");
      const core = await runPhase(ctx, { dataDir, robots, echoOnce, matter: false, count: COUNT });
      ctx.progress("phase 2: the hub as configured by default (Matter on)");
      const full = await runPhase(ctx, { dataDir, robots, echoOnce, matter: true, count: 2_000 });
      return report(core, full, baseline);
    } finally {
      echoWs.close();
    }
  } finally {
    await Promise.all(children.map((c) => c.stop()));
  }
}

interface SimulatedRobotInfo {
  id: string;
  port: number;
  setupCode: string;
}

async function runPhase(
  ctx: BenchContext,
  o: {
    dataDir: string;
    robots: SimulatedRobotInfo[];
    echoOnce: () => Promise<void>;
    matter: boolean;
    count: number;
  },
): Promise<PhaseResult> {
  const hub = await startHub({
    dataDir: o.dataDir,
    env: {},
    log: pino({ level: "info" }, pino.destination("/dev/null")),
    overrides: {
      http: { host: "127.0.0.1", port: 0 },
      discovery: { enabled: false },
      matter: { enabled: o.matter },
    },
  });
  const closers: (() => unknown)[] = [];
  try {
    // Phase 2 reuses phase 1's data folder: the robots are paired already.
    for (const r of o.robots) {
      if (!hub.robots.isPaired(r.id))
        await hub.robots.pair({ host: "127.0.0.1", port: r.port, code: r.setupCode });
    }
    await until("robots online", () => hub.robots.list().every((r) => r.connection === "online"), 15_000);
    if (o.matter) {
      await until(
        "Matter running",
        () => hub.matter.status().state === "running" && hub.matter.status().nodes.length >= o.robots.length,
        120_000,
      );
    }
    const online = await settledMemory();
    const target = o.robots[0];
    const operations: Operation[] = [
      { name: "baseline", what: "raw `ws` echo over TLS 1.3, two processes", run: o.echoOnce },
    ];
    if (!o.matter) {
      const identity = await loadOrCreateIdentity(join(o.dataDir, "keys"), "hub", "unused");
      const link = await connectToRobot({
        address: { host: "127.0.0.1", port: target.port },
        hub: { id: "bench", name: "bench", identity },
        pinnedFingerprint: new RobotRepository(hub.db).get(target.id)?.fingerprint ?? null,
        log: pino({ level: "silent" }),
      });
      closers.push(() => link.peer.close());
      operations.push({
        name: "protocol ping",
        what: '`peer.request("ping")`: envelope, validation, dispatch, result validation',
        run: () => link.peer.request("ping", {}),
      });
    }
    const url = `${hub.url}/api/robots/${target.id}/commands/locate`;
    // As a script would: an API token of the owner (onboarded on the first phase, signed in on the second).
    const auth = (await tokenClientFor(hub.url, await onboardOwner(hub.url))).headers;
    operations.push(
      {
        name: "state.get",
        what: '`RobotManager.query(id, "state.get")`: the full state (~1 KB) back',
        run: () => hub.robots.query(target.id, "state.get"),
      },
      {
        name: "hub command",
        what: '`RobotManager.command(id, "locate")`: access check, arguments, capability, log line, audit entry, state, `event.located`',
        run: () => hub.robots.command(target.id, "locate", {}, "api"),
      },
      {
        name: "HTTP command",
        what: "`POST /api/robots/:id/commands/locate` with fetch (keep-alive, API token)",
        run: async () => {
          const res = await fetch(url, {
            method: "POST",
            headers: { ...auth, "content-type": "application/json" },
            body: "{}",
          });
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          await res.arrayBuffer();
        },
      },
    );
    ctx.progress(`measuring ${operations.map((op) => op.name).join(", ")}, interleaved`);
    const samples = await measureInterleaved(
      operations.map((op) => op.run),
      { warmup: WARMUP, count: o.count, maxMs: MAX_MS },
    );
    const after = await settledMemory();
    const rows = operations.map((op, i) => ({
      name: op.name,
      what: op.what,
      latency: summarize(samples[i]),
    }));
    return { rows, samples, online, after };
  } finally {
    for (const close of closers) close();
    await hub.stop();
  }
}

function report(core: PhaseResult, full: PhaseResult, bare: Memory): BenchSection {
  const commandIndex = (p: PhaseResult) => p.rows.findIndex((r) => r.name === "hub command");
  const p99Ratio = (p: PhaseResult, part = (s: number[]) => s) =>
    summarize(part(p.samples[commandIndex(p)])).p99 / summarize(part(p.samples[0])).p99;
  const ratio = p99Ratio(core);
  // Tail latency of sub-millisecond operations on a shared machine is noisy; the ratio in each third of the
  // run (in time order) shows how much.
  const thirds = [0, 1, 2].map((t) =>
    p99Ratio(core, (s) => s.slice((t * s.length) / 3, ((t + 1) * s.length) / 3)),
  );
  const verdict = ratio <= TARGET_P99_RATIO ? "meets" : "misses";
  const matterCost = (p: "p50" | "p99") =>
    (
      summarize(full.samples[commandIndex(full)] as number[])[p] /
      summarize(core.samples[commandIndex(core)] as number[])[p]
    ).toFixed(2);
  const rows = [
    ...core.rows.map((r) => ({ ...r, phase: "Matter off", baseline: core.rows[0].latency })),
    ...full.rows.map((r) => ({ ...r, phase: "default (Matter on)", baseline: full.rows[0].latency })),
  ];
  return {
    title: "Command round trip (hub → robot → hub)",
    table: markdownTable(
      ["hub", "measurement", "what", "samples", "p50 ms", "p99 ms", "max ms", "p50 ratio", "p99 ratio"],
      rows.map(({ phase, name, what, latency, baseline }) => [
        phase,
        name,
        what,
        String(latency.count),
        ms(latency.p50),
        ms(latency.p99),
        ms(latency.max),
        (latency.p50 / baseline.p50).toFixed(2),
        (latency.p99 / baseline.p99).toFixed(2),
      ]),
    ),
    notes: [
      `**Hub command p99 / raw echo p99 = ${ratio.toFixed(2)}** without Matter (target ≤ ${TARGET_P99_RATIO}: ` +
        `${verdict} it); in each third of the run: ${thirds.map((t) => t.toFixed(2)).join(", ")}. With the ` +
        `default configuration (Matter on) the same ratio is ${p99Ratio(full).toFixed(2)}; that ratio moves with ` +
        "the echo baseline's own p99, which differs between phases, so compare the hub command directly: with " +
        `Matter on its p50 is ${matterCost("p50")}x and its p99 ${matterCost("p99")}x the Matter-off hub's. Every ` +
        "robot update is also sent to the Matter worker thread, which writes it into the robot's Matter node off " +
        "the hub's event loop (both threads still share the machine's cores).",
      `One request in flight at a time; ${WARMUP} unmeasured warm-up calls each, then up to ${COUNT} ` +
        `(Matter off) or 2000 (Matter on) measured calls each (at most ${MAX_MS / 1000} s per phase), the ` +
        "measurements taking turns in blocks of 20 (5 unmeasured calls at the start of each block) so load from " +
        `other processes falls on all alike. Robots (${ROBOTS}, simulated, one process) and the echo server ` +
        "(another process) listen on 127.0.0.1; the hub runs in the benchmark process with JSON logging at " +
        "`info`. Ratios are against the raw echo of the same phase.",
      `Hub memory, measured in the benchmark process (which holds the hub) after a full garbage collection: ` +
        `with the modules loaded and no hub, RSS ${mib(bare.rss)} MiB (JS heap ${mib(bare.heapUsed)} MiB); with ` +
        `the hub (Matter off) and ${ROBOTS} robots paired and online, RSS ${mib(core.online.rss)} MiB (heap ` +
        `${mib(core.online.heapUsed)} MiB), so **the hub adds ${mib(core.online.rss - bare.rss)} MiB**; after ` +
        `its measurements RSS ${mib(core.after.rss)} MiB (heap ${mib(core.after.heapUsed)} MiB). With Matter on ` +
        `(started after the first hub stopped, so approximate): RSS ${mib(full.online.rss)} MiB (heap ` +
        `${mib(full.online.heapUsed)} MiB) once the ${ROBOTS} Matter nodes run, ${mib(full.after.rss)} MiB ` +
        `(heap ${mib(full.after.heapUsed)} MiB) after its measurements.`,
    ],
  };
}

async function openEchoClient(port: number): Promise<WebSocket> {
  const identity = await createIdentity("bench-client");
  return new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`wss://127.0.0.1:${port}${PROTOCOL_PATH}`, {
      key: identity.keyPem,
      cert: identity.certPem,
      rejectUnauthorized: false,
      maxPayload: MAX_WIRE_FRAME_BYTES,
      perMessageDeflate: false,
    });
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Memory {
  rss: number;
  heapUsed: number;
}

/** `gc()` without starting node with --expose-gc: the flag can be set at run time and read from a new context. */
const collectGarbage = (() => {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
})();

/** Memory after a moment of idle and a full collection, so start-up garbage is not counted. */
async function settledMemory(): Promise<Memory> {
  await new Promise((r) => setTimeout(r, 500));
  collectGarbage();
  await new Promise((r) => setTimeout(r, 500));
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}
