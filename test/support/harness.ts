/**
 * Shared fakes and fixtures for end-to-end tests: a real hub (real SQLite file, real HTTP, real TLS WebSockets)
 * and a real simulator fleet (real mDNS inside the test runner's private network namespace), each in its own
 * temporary folder. Time-dependent behaviour uses the simulator's time scale, never long sleeps.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import type { Logger } from "../../hub/logging.ts";
import { type HubOptions, type RunningHub, startHub } from "../../hub/main.ts";
import { type FleetOptions, SimulatorFleet } from "../../integrations/sweep/simulator/fleet.ts";
import { type ApiClient, onboardOwner, tokenClientFor } from "./accounts.ts";

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `sweephub-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A pino logger whose JSON lines are kept in memory (to assert that no secret is ever logged). */
export function memoryLogger(level: pino.Level = "debug"): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { log: pino({ level }, stream) as Logger, lines };
}

/**
 * Faster than production (5 s / 15 s) so the half-open test is quick, but with room for a loaded CI machine:
 * a timeout near the event-loop stalls of a busy 2-core box would drop healthy connections.
 */
export const FAST_HEARTBEAT = { heartbeatIntervalMs: 1_000, heartbeatTimeoutMs: 5_000 };

/** Setup codes that are valid but fixed, so tests can pair without reading the simulator's sticker file. */
export const TEST_CODES = ["20481736", "31592047", "42603158", "53714269", "64825370"];

export async function startFleet(options: Partial<FleetOptions> & { dir: string }): Promise<SimulatorFleet> {
  const fleet = new SimulatorFleet({
    count: 1,
    stateDir: join(options.dir, "simulator"),
    log: memoryLogger("warn").log,
    timeScale: 20,
    tickMs: 50,
    host: "127.0.0.1",
    mdnsInterface: "127.0.0.1",
    setupCodes: TEST_CODES,
    ...FAST_HEARTBEAT,
    ...options,
  });
  await fleet.start();
  return fleet;
}

export interface TestHub extends RunningHub {
  lines: string[];
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Headers that authenticate as the test's owner (a bearer token; empty with `onboard: false`). */
  authHeaders(): Record<string, string>;
  /** The owner's browser-like session (cookie + CSRF); null with `onboard: false`. */
  owner: ApiClient | null;
}

/**
 * A running hub whose owner has been onboarded (test/support/accounts.ts: OWNER); `api()` authenticates as the
 * owner with a bearer token. `onboard: false` leaves the hub fresh, for onboarding tests.
 */
export async function startTestHub(
  dataDir: string,
  options: Partial<HubOptions> & {
    onboard?: boolean;
    /** With `onboard: false`: the owner's headers from before a restart (`authHeaders()`), for `api()`. */
    ownerAuth?: Record<string, string>;
  } = {},
): Promise<TestHub> {
  const { onboard = true, ownerAuth, overrides, ...hubOptions } = options;
  const { log, lines } = memoryLogger("debug");
  const hub = await startHub({
    dataDir,
    log,
    // Matter (matter.js: seconds to load, ~100 MiB) only where a test asks for it (test/e2e/matter.test.ts).
    env: { SWEEPHUB_DISCOVERY_INTERFACE: "127.0.0.1", SWEEPHUB_MATTER_ENABLED: "false" },
    // Merged, not replaced: a test that overrides one setting must still get a free port (a fixed default port
    // collides with other test files running at the same time).
    overrides: {
      ...overrides,
      http: { host: "127.0.0.1", port: 0, ...overrides?.http },
      discovery: { interface: "127.0.0.1", ...overrides?.discovery },
    },
    timings: { reconnectMinMs: 100, reconnectMaxMs: 1_000, ...FAST_HEARTBEAT },
    ...hubOptions,
  });
  let owner: ApiClient | null = null;
  let auth: Record<string, string> = { ...ownerAuth };
  if (onboard) {
    owner = await onboardOwner(hub.url);
    auth = (await tokenClientFor(hub.url, owner)).headers;
  }
  const api = async <T>(method: string, path: string, body?: unknown) => {
    const res = await fetch(`${hub.url}${path}`, {
      method,
      headers: { ...auth, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };
  return Object.assign(hub, { lines, api, owner, authHeaders: () => ({ ...auth }) });
}

/** Polls until `check` returns a truthy value; fails with `what` after `timeoutMs` (a bound, not a timing claim). */
/**
 * Moves the fleet's simulated time on by `totalMs` in 1-second steps, letting the event loop run between small
 * batches: one long synchronous loop would starve the hub's sockets and heartbeats (the test's hub shares this
 * process) long enough on a busy machine for the hub to drop the robot and miss the run's last events.
 */
export async function advanceFleet(fleet: SimulatorFleet, totalMs: number): Promise<void> {
  for (let done = 0, steps = 0; done < totalMs; done += 1_000, steps++) {
    fleet.advance(Math.min(1_000, totalMs - done));
    if (steps % 25 === 24) await new Promise((resolve) => setImmediate(resolve));
  }
}

export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 15_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}
