/**
 * A hub in its own process for the Matter benchmark (argv: data folder, robots JSON from robot-fleet-process,
 * Matter mode "standalone" | "bridge" | "off", base UDP port), so its memory is measured alone. Pairs the robots,
 * waits for Matter, then prints one JSON line: start-up times, RSS, the HTTP URL and the first node's manual
 * pairing code (for the benchmark's controller; a benchmark's own throwaway secret, never logged by the hub).
 */
import pino from "pino";
import { startHub } from "../../hub/main.ts";

const [dataDir, robotsJson, mode = "standalone", basePort = "25540"] = process.argv.slice(2);
if (!dataDir || !robotsJson)
  throw new Error("usage: matter-hub-process.ts <data-dir> <robots-json> <mode> [port]");
const robots = JSON.parse(robotsJson) as { id: string; port: number; setupCode: string }[];

const t0 = performance.now();
const hub = await startHub({
  dataDir,
  env: {},
  log: pino({ level: "warn" }, pino.destination("/dev/null")),
  overrides: {
    http: { host: "127.0.0.1", port: 0 },
    discovery: { enabled: false },
    matter:
      mode === "off"
        ? { enabled: false }
        : {
            enabled: true,
            mode: mode === "bridge" ? "bridge" : "standalone",
            networkInterface: "lo",
            basePort: Number(basePort),
          },
  },
});
const hubReadyMs = performance.now() - t0;
// How long the event loop stalls while matter.js is imported (it happens after startHub returned).
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
if (mode !== "off") {
  await hub.matter.ready();
  await hub.matter.settled();
  matterReadyMs = hub.matter.status().startedInMs;
}
clearInterval(lagTimer);
await new Promise((r) => setTimeout(r, 1_500));
const first = robots[0];
const code = mode === "off" || !first ? null : (await hub.matter.node(first.id)).manualPairingCode;
process.stdout.write(
  `${JSON.stringify({ url: hub.url, hubReadyMs, matterReadyMs, maxLagMs, rss: process.memoryUsage().rss, code, robotId: first?.id ?? null })}\n`,
);
process.once("SIGTERM", () => {
  void hub.stop().then(() => process.exit(0));
});
