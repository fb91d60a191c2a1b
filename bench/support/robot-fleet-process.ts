/**
 * Simulated robots in their own process for benchmarks (argv: state folder, robot count), so the hub under
 * test and the robots do not share an event loop, as with real robots. No mDNS announcements: the benchmark
 * pairs by address. Prints one JSON line `{ robots: [{ id, port, setupCode }] }` once listening.
 */
import pino from "pino";
import { SimulatorFleet } from "../../integrations/sweep/simulator/fleet.ts";

const [stateDir, count = "3"] = process.argv.slice(2);
if (!stateDir) throw new Error("usage: robot-fleet-process.ts <state-dir> [count]");
const fleet = new SimulatorFleet({
  count: Number(count),
  stateDir,
  log: pino({ level: "warn" }),
  host: "127.0.0.1",
  advertise: false,
  idPrefix: "benchbot",
});
await fleet.start();
const robots = fleet.robots.map((r) => ({ id: r.id, port: r.port, setupCode: r.setupCode }));
process.stdout.write(`${JSON.stringify({ robots })}\n`);
process.once("SIGTERM", () => {
  void fleet.stop().then(() => process.exit(0));
});
