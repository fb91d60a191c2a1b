/** `sweephub sim` (run simulated robots) and `sweephub sim-ctl` (talk to their control port). */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import pino from "pino";
import { formatSetupCode } from "../protocol/setup-code.ts";
import { ControlServer } from "./control-server.ts";
import { SimulatorFleet } from "./fleet.ts";
import { isFloorPlanId } from "./floor-plans.ts";

export async function runSimulatorCli(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      robots: { type: "string", default: "3" },
      "time-scale": { type: "string", default: "1" },
      "base-port": { type: "string", default: "0" },
      "control-port": { type: "string", default: "8479" },
      "state-dir": { type: "string", default: resolve(process.env.SWEEPHUB_DATA || "data", "simulator") },
      plans: { type: "string" },
      host: { type: "string", default: "0.0.0.0" },
      // Robots that have never mapped their home: the map fills in as they drive (try "Map this floor").
      unexplored: { type: "boolean", default: false },
    },
    strict: true,
  });
  const count = Number(values.robots);
  const timeScale = Number(values["time-scale"]);
  const plans = values.plans?.split(",").map((p) => p.trim());
  if (!Number.isInteger(count) || count < 1 || count > 200)
    throw new Error("--robots must be an integer from 1 to 200");
  if (!(timeScale > 0 && timeScale <= 1000)) throw new Error("--time-scale must be above 0 and at most 1000");
  const badPlan = plans?.find((p) => !isFloorPlanId(p));
  if (badPlan) throw new Error(`Unknown floor plan ${JSON.stringify(badPlan)}; use apartment, house or loft`);
  const log = pino({ level: process.env.SWEEPHUB_LOG_LEVEL ?? "warn" });
  const fleet = new SimulatorFleet({
    count,
    timeScale,
    stateDir: values["state-dir"],
    basePort: Number(values["base-port"]),
    host: values.host,
    log,
    explored: !values.unexplored,
    ...(plans ? { plans: plans.filter(isFloorPlanId) } : {}),
  });
  await fleet.start();
  const control = new ControlServer(fleet);
  await control.start(Number(values["control-port"]));
  for (const r of fleet.robots) {
    // The setup code is what a real robot prints on its sticker: shown to the person, never logged.
    process.stdout.write(
      `robot ${r.name} id=${r.id} plan=${r.plan} port=${r.port} setup code ${formatSetupCode(r.setupCode)}${r.server.paired ? " (paired)" : ""}\n`,
    );
  }
  process.stdout.write(`control port 127.0.0.1:${control.port}; time scale ${timeScale}x; Ctrl-C to stop\n`);
  await new Promise<void>((done) => {
    process.once("SIGINT", () => done());
    process.once("SIGTERM", () => done());
  });
  await control.stop();
  await fleet.stop();
  return 0;
}

export async function runSimulatorControlCli(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { "control-port": { type: "string", default: "8479" } },
    allowPositionals: true,
    strict: true,
  });
  const base = `http://127.0.0.1:${values["control-port"]}`;
  const [action, robotId, arg] = positionals;
  const robotUrl = (what: string) => `${base}/robots/${encodeURIComponent(robotId ?? "")}/${what}`;
  let res: Response;
  switch (action) {
    case "list":
      res = await fetch(`${base}/robots`);
      break;
    case "fault":
      res = await fetch(robotUrl("fault"), { method: "POST", body: JSON.stringify({ code: arg }) });
      break;
    case "clear":
      res = await fetch(robotUrl("fault"), { method: "DELETE" });
      break;
    case "floor":
      res = await fetch(robotUrl("floor"), { method: "POST", body: JSON.stringify({ floor: arg }) });
      break;
    case "battery":
      res = await fetch(robotUrl("battery"), {
        method: "POST",
        body: JSON.stringify({ percent: Number(arg) }),
      });
      break;
    case "restart":
      res = await fetch(robotUrl("restart"), { method: "POST" });
      break;
    case "reset":
      res = await fetch(robotUrl("factory-reset"), { method: "POST" });
      break;
    default:
      process.stderr.write(
        "usage: sweephub sim-ctl list | fault|clear|floor|battery|restart|reset <robotId> [arg]\n",
      );
      return 2;
  }
  const body = await res.text();
  (res.ok ? process.stdout : process.stderr).write(`${body}\n`);
  return res.ok ? 0 : 1;
}
