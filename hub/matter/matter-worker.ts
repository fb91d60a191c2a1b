/**
 * The Matter worker thread (started by MatterService through matter-worker-boot.mjs): hosts matter.js and the
 * robots' Matter nodes, so loading matter.js (~2.5 s of module evaluation), creating nodes and writing every
 * robot update into them never blocks the hub's event loop. It talks to the hub only through the messages in
 * worker-messages.ts: robot views and events come in; commands, room reads and node allocations go out as
 * requests the main thread answers; node status and log lines go out as they happen.
 */
import { parentPort } from "node:worker_threads";
import pino from "pino";
import type { Static } from "typebox";
import type { CleaningFinished } from "../../integrations/sweep/protocol/methods.ts";
import type { Config } from "../config/load.ts";
import { HubError } from "../core/errors.ts";
import type { RobotView } from "../core/robot-view.ts";
import { REDACT_CENSOR, redactPaths } from "../logging.ts";
import type { MatterHubLink } from "./hub-link.ts";
import type { MatterRuntime } from "./matter-runtime.ts";
import {
  checkRequestResult,
  checkToWorker,
  errorBodyOf,
  type FromWorker,
  hubErrorOf,
  type REQUEST_RESULTS,
  type ToWorker,
  type WorkerCall,
  type WorkerRequest,
} from "./worker-messages.ts";

const port = (() => {
  if (!parentPort) throw new Error("matter-worker.ts runs only as a worker thread (MatterService starts it)");
  return parentPort;
})();

const post = (message: FromWorker) => port.postMessage(message);

const log = pino(
  {
    level: "info",
    base: undefined,
    timestamp: false,
    redact: { paths: redactPaths(), censor: REDACT_CENSOR },
  },
  { write: (line: string) => post({ type: "log", line }) },
);

/** Robots as the hub last described them (paired or not), kept before matter.js is even loaded. */
const robots = new Map<string, { view: RobotView; paired: boolean }>();
let runtime: MatterRuntime | null = null;
/** Start-up in progress; a stop waits for it so no node is left half-started. */
let starting: Promise<void> = Promise.resolve();
let stopping = false;

// ---- requests to the hub ---------------------------------------------------------------------------------

let nextId = 1;
const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

function request<Op extends WorkerRequest["op"]>(
  message: Omit<WorkerRequest, "type" | "id" | "op"> & { op: Op },
): Promise<Static<(typeof REQUEST_RESULTS)[Op]>> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, {
      resolve: (value) => {
        const checked = checkRequestResult(message.op, value);
        if (checked.ok) resolve(checked.value);
        else {
          log.error({ op: message.op, problem: checked.problem }, "invalid answer from the hub; not used");
          reject(
            new HubError("internal", `The hub's answer to ${message.op} was invalid: ${checked.problem}`),
          );
        }
      },
      reject,
    });
    post({ type: "request", id, ...message });
  });
}

const link: MatterHubLink = {
  view: (robotId) => robots.get(robotId)?.view,
  pairedViews: () => [...robots.values()].filter((r) => r.paired).map((r) => r.view),
  isPaired: (robotId) => robots.get(robotId)?.paired === true,
  command: (robotId, name, args) => request({ op: "command", robotId, name, args }),
  rooms: (robotId) => request({ op: "rooms", robotId }),
  known: (robotId) => request({ op: "known", robotId }),
  allocate: (nodeKey, robotId) =>
    request({ op: "allocate", nodeKey, ...(robotId === null ? {} : { robotId }) }),
  forget: async (nodeKey) => {
    await request({ op: "forget", nodeKey });
  },
};

// ---- node status pushed to the hub -------------------------------------------------------------------------

let lastNodes = "";
function pushNodes(): void {
  if (!runtime || stopping) return;
  const nodes = runtime.nodes();
  const json = JSON.stringify(nodes);
  if (json === lastNodes) return;
  lastNodes = json;
  post({ type: "nodes", nodes });
}
// Commissioning, fabric changes and windows closing happen inside matter.js; a cheap look once a second keeps
// the hub's synchronous status (metrics, GET /api/matter) current without hooking every matter.js event.
const statusTimer = setInterval(pushNodes, 1000);

// ---- messages from the hub ---------------------------------------------------------------------------------

const invalidSeen = new Set<string>();
port.on("message", (raw: unknown) => {
  const checked = checkToWorker(raw);
  if (!checked.ok) {
    const type = String((raw as { type?: unknown } | null)?.type);
    if (type === "init") {
      // Without its init the worker can never start: say so (the hub reports Matter failed) and end.
      void fail(`the hub's start message was refused: ${checked.problem}`);
      return;
    }
    // Once per message type: a schema drift between the threads would otherwise repeat on every update.
    if (!invalidSeen.has(type)) log.error({ type, problem: checked.problem }, "invalid message from the hub");
    invalidSeen.add(type);
    return;
  }
  void handle(checked.value);
});

async function handle(m: ToWorker): Promise<void> {
  switch (m.type) {
    case "init":
      starting = init(m);
      return starting;
    case "robot":
      robots.set(m.view.id, { view: m.view, paired: m.paired });
      runtime?.robotUpdated(m.view);
      return;
    case "removed":
      robots.delete(m.robotId);
      runtime?.robotRemoved(m.robotId);
      return;
    case "rooms":
      runtime?.roomsChanged(m.robotId);
      return;
    case "finished":
      runtime?.jobFinished(m.robotId, m.payload as CleaningFinished);
      return;
    case "result": {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.ok) p?.resolve(m.value);
      else p?.reject(hubErrorOf(m.error));
      return;
    }
    case "call":
      return answer(m);
    case "logLevel":
      log.level = m.level;
      return;
    case "stop":
      return stop();
    case "crash":
      setImmediate(() => {
        throw new Error("crash requested by a test");
      });
      return;
  }
}

async function init(m: Extract<ToWorker, { type: "init" }>): Promise<void> {
  log.level = m.logLevel;
  for (const r of m.robots) robots.set(r.view.id, r);
  try {
    await prepareMatterEnvironment();
    const { MatterRuntime } = await import("./matter-runtime.ts");
    // The hub may have asked to stop while matter.js loaded: then no node opens a socket at all.
    if (stopping) return;
    const rt = new MatterRuntime({
      config: m.config as Config["matter"],
      hubName: m.hubName,
      hubVersion: m.hubVersion,
      storageDir: m.storageDir,
      hub: link,
      log,
    });
    runtime = rt;
    await rt.start();
    if (stopping) return;
    pushNodes();
    post({ type: "ready" });
  } catch (err) {
    await fail(errorText(err));
  }
}

/** Start-up failed: the hub hears why, the thread ends, and the hub retries later (ports in use, a restore). */
async function fail(error: string): Promise<void> {
  post({ type: "failed", error });
  stopping = true;
  clearInterval(statusTimer);
  await shutdown();
}

/** An error's message for the hub (its log and GET /api/matter), with setup secrets masked. */
function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return runtime ? runtime.scrub(text) : text;
}

async function answer(call: WorkerCall): Promise<void> {
  try {
    if (!runtime) throw new HubError("matter_unavailable");
    const robotId = call.robotId ?? "";
    let value: unknown;
    if (call.method === "nodes") value = runtime.nodes();
    else if (call.method === "node") value = runtime.nodeFor(robotId);
    else if (call.method === "openWindow") value = await runtime.openCommissioningWindow(robotId);
    else if (call.method === "removeFabric")
      value = await runtime.removeFabric(robotId, call.fabricIndex ?? 0);
    else if (call.method === "settled") value = await runtime.settled();
    else {
      (globalThis as { gc?: () => void }).gc?.();
      // Per thread: the worker's own V8 heap (RSS is the whole process's).
      value = { heapUsed: process.memoryUsage().heapUsed };
    }
    post({ type: "result", id: call.id, ok: true, value: value ?? null });
    pushNodes();
  } catch (err) {
    if (!(err instanceof HubError)) log.error({ err, method: call.method }, "Matter call failed");
    post({ type: "result", id: call.id, ok: false, error: errorBodyOf(err) });
  }
}

/** Closes every node (flushing matter.js storage), reports what is still open, and lets the thread end. */
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(statusTimer);
  await starting;
  await shutdown();
}

async function shutdown(): Promise<void> {
  try {
    await runtime?.stop();
  } catch (err) {
    log.error({ err }, "Matter nodes did not stop cleanly");
  }
  for (const p of pending.values()) p.reject(new HubError("matter_unavailable"));
  pending.clear();
  // Sockets and files finish closing a moment after close() resolves; give them that moment before looking.
  let leftover = openResources();
  for (let i = 0; i < 40 && leftover.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    leftover = openResources();
  }
  post({ type: "stopped", leftover });
  port.close();
}

/**
 * An uncaught error would end the thread at once, with matter.js's UDP sockets open; Node 20 can then abort the
 * whole process when a datagram arrives during the teardown ("FATAL ERROR: v8::FromJust", seen here in
 * UDPWrap::OnRecv). So the worker closes its nodes first and only then exits; the hub restarts it.
 */
async function crash(err: unknown): Promise<void> {
  if (stopping) return;
  const stack =
    err instanceof Error && err.stack ? (runtime ? runtime.scrub(err.stack) : err.stack) : undefined;
  log.fatal({ error: errorText(err), stack }, "the Matter worker hit an unexpected error; closing its nodes");
  post({ type: "failed", error: errorText(err) });
  stopping = true;
  clearInterval(statusTimer);
  await Promise.race([shutdown(), new Promise((r) => setTimeout(r, 10_000))]);
  process.exit(1);
}
process.on("uncaughtException", (err) => void crash(err));
process.on("unhandledRejection", (err) => void crash(err));

const openResources = () =>
  process.getActiveResourcesInfo().filter((r) => r !== "MessagePort" && r !== "Timeout");

/**
 * matter.js reads process.argv, a config.json and installs signal handlers when it first loads (MATTER-NOTES
 * pitfall 5): the hub's CLI flags would become matter.js variables. These switches must be set before the
 * first import of @matter/main.
 */
async function prepareMatterEnvironment(): Promise<void> {
  const { config } = await import("@matter/nodejs/config");
  config.loadProcessArgv = false;
  config.loadConfigFile = false;
  config.trapProcessSignals = false;
  config.setProcessExitCodeOnError = false;
}
