/**
 * `sweephub demo`: three simulated robots and a hub, robots paired automatically with their setup codes, in a
 * private network namespace when one can be made (the dashboard is bridged to the host's 127.0.0.1).
 * Ctrl-C stops everything cleanly.
 */
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatSetupCode } from "../../integrations/sweep/protocol/setup-code.ts";
import { ControlServer } from "../../integrations/sweep/simulator/control-server.ts";
import { SimulatorFleet } from "../../integrations/sweep/simulator/fleet.ts";
import { HubError } from "../core/errors.ts";
import { createLogger } from "../logging.ts";
import { type RunningHub, startHub } from "../main.ts";
import { tcpToUnix, unixToTcp } from "./socket-bridge.ts";

export interface DemoOptions {
  dataDir: string;
  robots: number;
  timeScale: number;
  port: number;
  controlPort: number;
  open: boolean;
  /** Set when this process is the inner half running inside the namespace. */
  bridgeSocket?: string;
}

// The netns helper is plain JS (it must run before tsx is loaded).
type NetnsModule = {
  isInsidePrivateNetns(env?: NodeJS.ProcessEnv): boolean;
  probePrivateNetns(): { ok: true; flags: string[] } | { ok: false; reason: string };
  runInPrivateNetns(
    command: string,
    args: string[],
    opts?: { onFallback?: (reason: string) => void },
  ): Promise<{ code: number | null; isolated: boolean }>;
};

export async function runDemo(options: DemoOptions): Promise<number> {
  const netns = (await import(new URL("../../scripts/netns.mjs", import.meta.url).href)) as NetnsModule;
  if (options.bridgeSocket || netns.isInsidePrivateNetns()) return runDemoHere(options);
  const probe = netns.probePrivateNetns();
  if (!probe.ok) {
    console.error(
      `[demo] No private network namespace (${probe.reason}); running on the host network: mDNS will reach your LAN.`,
    );
    return runDemoHere(options);
  }
  // Host half: listen where the user's browser looks, forward into the namespace through a Unix socket.
  const runDir = join(options.dataDir, "run");
  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  const socketPath = join(runDir, "demo-http.sock");
  const bridge = await tcpToUnix("127.0.0.1", options.port, socketPath);
  const bin = fileURLToPath(new URL("../../bin/sweephub.mjs", import.meta.url));
  const args = [
    bin,
    "demo",
    "--robots",
    String(options.robots),
    "--time-scale",
    String(options.timeScale),
    "--port",
    String(options.port),
    "--control-port",
    String(options.controlPort),
    "--bridge-socket",
    socketPath,
    ...(options.open ? [] : ["--no-open"]),
  ];
  const running = netns.runInPrivateNetns(process.execPath, args);
  if (options.open) void openWhenReady(`http://127.0.0.1:${options.port}`);
  const result = await running;
  bridge.close();
  return result.code ?? 0;
}

async function runDemoHere(options: DemoOptions): Promise<number> {
  const log = createLogger({ level: (process.env.SWEEPHUB_LOG_LEVEL as "info" | undefined) ?? "info" });
  const fleet = new SimulatorFleet({
    count: options.robots,
    stateDir: join(options.dataDir, "simulator"),
    log: log.child({ service: "simulator" }),
    timeScale: options.timeScale,
  });
  await fleet.start();
  const control = new ControlServer(fleet);
  await control.start(options.controlPort);
  let hub: RunningHub;
  try {
    hub = await startHub({ dataDir: options.dataDir, log, overrides: { http: { port: options.port } } });
  } catch (err) {
    await control.stop();
    await fleet.stop();
    throw err;
  }
  const bridge = options.bridgeSocket ? await unixToTcp(options.bridgeSocket, "127.0.0.1", hub.port) : null;
  for (const sim of fleet.robots) {
    if (hub.robots.isPaired(sim.id)) continue;
    try {
      await pairDemoRobot(hub, sim.id, sim.port, sim.setupCode);
    } catch (err) {
      const message = err instanceof HubError ? `${err.code}: ${err.message}` : (err as Error).message;
      console.error(`[demo] could not pair ${sim.name}: ${message}`);
    }
  }
  const url = `http://127.0.0.1:${options.port}`;
  console.log("");
  console.log("  sweephub demo is running");
  console.log(`  Dashboard:      ${url}`);
  console.log(
    hub.app.deps.access.accounts.hasOwner()
      ? "  Sign in:        with the owner account you created in this data folder"
      : "  First visit:    open the dashboard and create the owner account (onboarding)",
  );
  console.log(`  API (OpenAPI):  ${url}/api/openapi.json`);
  console.log(`  Data folder:    ${options.dataDir}`);
  console.log(`  Simulator control port: 127.0.0.1:${control.port} (inside the demo's network namespace)`);
  for (const sim of fleet.robots) {
    console.log(
      `  Robot ${sim.name.padEnd(8)} ${sim.id}  plan ${sim.plan.padEnd(9)} setup code ${formatSetupCode(sim.setupCode)}`,
    );
  }
  console.log("  Press Ctrl-C to stop.");
  console.log("");
  // With a bridge, the host half opens the browser: a browser started in here would be cut off from the LAN.
  if (options.open && !options.bridgeSocket) openBrowser(url);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  console.log("[demo] stopping...");
  bridge?.close();
  await hub.stop();
  await control.stop();
  await fleet.stop();
  return 0;
}

/** Pairs by discovery like a user would; falls back to the address if mDNS has not answered yet. */
async function pairDemoRobot(hub: RunningHub, robotId: string, port: number, code: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline && !hub.discovery?.get(robotId)) await new Promise((r) => setTimeout(r, 200));
  if (hub.discovery?.get(robotId)) await hub.robots.pair({ robotId, code });
  else await hub.robots.pair({ host: "127.0.0.1", port, code });
}

async function openWhenReady(url: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) {
        openBrowser(url);
        return;
      }
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

function openBrowser(url: string): void {
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY && process.platform === "linux") return;
  const cmd = process.platform === "darwin" ? "open" : process.platform === "win32" ? "start" : "xdg-open";
  try {
    const child = spawn(cmd, [url], { stdio: "ignore", detached: true });
    child.on("error", () => {});
    child.unref();
  } catch {
    // No browser opener: the URL is printed above.
  }
}
