/**
 * A hub in its own process for the Matter benchmark (argv: data folder, robots JSON from robot-fleet-process,
 * mode, base UDP port), so its memory is measured alone. Modes: "standalone" | "bridge" (Matter on, in its
 * worker thread), "off", and "inline": Matter off, then matter.js loaded and one node started on the hub's own
 * thread, as the hub did before the worker (the stall baseline). Pairs the robots, waits for Matter, then prints
 * one JSON line: start-up times, the longest event-loop stall, RSS after a full GC (run with --expose-gc), the
 * HTTP URL and the first node's manual pairing code (a benchmark's own throwaway secret, never logged).
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import pino from "pino";
import { startHub } from "../../hub/main.ts";

const [dataDir, robotsJson, mode = "standalone", basePort = "25540"] = process.argv.slice(2);
if (!dataDir || !robotsJson)
  throw new Error("usage: matter-hub-process.ts <data-dir> <robots-json> <mode> [port]");
const robots = JSON.parse(robotsJson) as { id: string; port: number; setupCode: string }[];
const matterOn = mode === "standalone" || mode === "bridge";

const t0 = performance.now();
const hub = await startHub({
  dataDir,
  env: {},
  log: pino({ level: "warn" }, pino.destination("/dev/null")),
  overrides: {
    http: { host: "127.0.0.1", port: 0 },
    discovery: { enabled: false },
    matter: matterOn
      ? {
          enabled: true,
          mode: mode === "bridge" ? "bridge" : "standalone",
          networkInterface: "lo",
          basePort: Number(basePort),
        }
      : { enabled: false },
  },
});
const hubReadyMs = performance.now() - t0;
// The longest the event loop was blocked between the hub being ready and Matter running (10 ms timer).
let maxLagMs = 0;
let last = performance.now();
const lagTimer = setInterval(() => {
  const now = performance.now();
  maxLagMs = Math.max(maxLagMs, now - last - 10);
  last = now;
}, 10);
for (const r of robots) await hub.robots.pair({ host: "127.0.0.1", port: r.port, code: r.setupCode });
const deadline = Date.now() + 30_000;
while (!hub.robots.list().every((r) => r.connection === "online")) {
  if (Date.now() > deadline) throw new Error("robots did not come online");
  await new Promise((r) => setTimeout(r, 50));
}
let matterReadyMs: number | null = null;
if (matterOn) {
  await hub.matter.ready();
  await hub.matter.settled();
  matterReadyMs = hub.matter.status().startedInMs;
} else if (mode === "inline") {
  matterReadyMs = await startMatterInline();
}
clearInterval(lagTimer);
await new Promise((r) => setTimeout(r, 1_500));
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");
let workerHeap = 0;
for (let i = 0; i < 3; i++) {
  gc();
  // The Matter worker has its own V8 heap, which the main thread's gc() does not touch.
  if (matterOn) workerHeap = (await hub.matter.collectGarbage())?.heapUsed ?? 0;
  await new Promise((r) => setTimeout(r, 100));
}
const mem = process.memoryUsage();
const first = robots[0];
const code = matterOn && first ? (await hub.matter.node(first.id)).manualPairingCode : null;
process.stdout.write(
  `${JSON.stringify({ url: hub.url, hubReadyMs, matterReadyMs, maxLagMs, rss: mem.rss, heapUsed: mem.heapUsed + workerHeap, code, robotId: first?.id ?? null })}\n`,
);
process.once("SIGTERM", () => {
  void hub.stop().then(() => process.exit(0));
});

/** What the hub did before the worker: import matter.js and start a node on its own event loop. */
async function startMatterInline(): Promise<number> {
  const started = performance.now();
  const { config } = await import("@matter/nodejs/config");
  config.loadProcessArgv = false;
  config.trapProcessSignals = false;
  await import("../../hub/matter/matter-runtime.ts");
  const { Environment, Logger, LogLevel, ServerNode, VendorId } = await import("@matter/main");
  Logger.level = LogLevel.ERROR; // matter.js would print the QR code on stdout, where the report line goes
  const { RoboticVacuumCleanerDevice } = await import("@matter/main/devices/robotic-vacuum-cleaner");
  const storage = join(dataDir as string, "inline-matter");
  rmSync(storage, { recursive: true, force: true });
  Environment.default.vars.set("storage.path", storage);
  Environment.default.vars.set("mdns.networkInterface", "lo");
  const node = await ServerNode.create({
    id: "inline",
    network: { port: Number(basePort) },
    commissioning: { passcode: 34567812, discriminator: 1234 },
    productDescription: { name: "inline", deviceType: RoboticVacuumCleanerDevice.deviceType },
    basicInformation: {
      vendorId: VendorId(0xfff1),
      productId: 0x8000,
      vendorName: "sweephub",
      productName: "bench",
      hardwareVersion: 1,
      softwareVersion: 1,
    },
  });
  await node.start();
  return performance.now() - started;
}
