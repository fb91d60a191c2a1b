/**
 * Runs N simulated robots in one process (`sweephub sim --robots 3`), each with its own port, identity, setup
 * code and mDNS announcement, so demos and scale tests need no extra machines. Time runs `timeScale` times
 * faster than the wall clock for every robot (tests use 20-200x; demos 1-5x).
 */
import { join } from "node:path";
import type { Capability } from "../protocol/methods.ts";
import type { PeerLogger } from "../protocol/peer.ts";
import { RobotAdvertiser } from "./advertiser.ts";
import type { FloorPlanId } from "./floor-plan.ts";
import { isFloorPlanId, listFloorPlans } from "./floor-plans.ts";
import { RobotServer } from "./robot-server.ts";
import { RobotStorage } from "./robot-storage.ts";
import { SimulatedRobot } from "./simulated-robot.ts";

const NAMES = ["Rosie", "Dusty", "Robbie", "Sweepy", "Zippy", "Bolt", "Mopsy", "Roomy", "Whirl", "Pebble"];

export interface FleetOptions {
  count: number;
  /** Folder holding each robot's "flash" (identity, verifier, paired hubs). */
  stateDir: string;
  log: PeerLogger;
  timeScale?: number;
  /** Real milliseconds between simulation steps. */
  tickMs?: number;
  host?: string;
  /** First robot port; robot i listens on basePort + i. 0 = any free ports. */
  basePort?: number;
  advertise?: boolean;
  mdnsInterface?: string;
  /** Floor plan per robot, cycled (default: apartment, house, loft). */
  plans?: FloorPlanId[];
  /** Fixed setup codes (tests); otherwise each robot keeps the random code it made on first start. */
  setupCodes?: string[];
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
  idPrefix?: string;
  /**
   * Whether the robots know their homes already (as after a first mapping run). Default true, so demos show
   * whole maps; false starts with empty maps that fill in as the robots drive.
   */
  explored?: boolean;
  /** Per robot index: capabilities that model lacks. */
  disabledCapabilities?: Record<number, readonly Capability[]>;
}

export interface SimRobot {
  id: string;
  name: string;
  plan: string;
  setupCode: string;
  robot: SimulatedRobot;
  server: RobotServer;
  storage: RobotStorage;
  port: number;
}

export class SimulatorFleet {
  readonly #opts: FleetOptions;
  readonly robots: SimRobot[] = [];
  #advertiser: RobotAdvertiser | null = null;
  #timer: NodeJS.Timeout | null = null;
  #simNow = Date.now();

  constructor(options: FleetOptions) {
    this.#opts = options;
  }

  /** The simulated clock shared by all robots of the fleet. */
  now = (): number => this.#simNow;

  get timeScale(): number {
    return this.#opts.timeScale ?? 1;
  }

  async start(): Promise<SimRobot[]> {
    const o = this.#opts;
    const plans = o.plans?.length ? o.plans : listFloorPlans();
    if (o.advertise !== false) this.#advertiser = new RobotAdvertiser(o.mdnsInterface);
    for (let i = 0; i < o.count; i++) {
      const id = `${o.idPrefix ?? "sweepsim"}-${String(i + 1).padStart(3, "0")}`;
      const name =
        NAMES[i % NAMES.length] + (i >= NAMES.length ? ` ${Math.floor(i / NAMES.length) + 1}` : "");
      const plan = plans[i % plans.length] as string;
      const sim = await this.#startRobot(id, name, plan, i, o.basePort ? o.basePort + i : 0);
      this.robots.push(sim);
    }
    const tickMs = o.tickMs ?? 100;
    this.#timer = setInterval(() => this.advance(tickMs * this.timeScale), tickMs);
    return this.robots;
  }

  /** Moves simulated time forward for every robot (the timer calls this; tests may call it directly). */
  advance(dtMs: number): void {
    this.#simNow += dtMs;
    for (const r of this.robots) r.robot.advance(dtMs);
  }

  get(id: string): SimRobot {
    const r = this.robots.find((x) => x.id === id);
    if (!r) throw new Error(`No simulated robot ${id}`);
    return r;
  }

  /**
   * Restarts a robot's network side as a power cycle would: connections drop, the server comes back on the same
   * port. With `factoryReset` the robot also forgets its hubs and makes a new identity (a "reset" robot).
   */
  async restart(
    id: string,
    options: { factoryReset?: boolean; downMs?: number; newPort?: boolean } = {},
  ): Promise<SimRobot> {
    const sim = this.get(id);
    sim.server.dropConnections();
    await sim.server.stop();
    await this.#advertiser?.withdraw(id);
    if (options.factoryReset) sim.storage.factoryReset();
    if (options.downMs) await new Promise((r) => setTimeout(r, options.downMs));
    const index = this.robots.indexOf(sim);
    const port = options.newPort ? 0 : sim.port;
    const fresh = await this.#startRobot(sim.id, sim.name, sim.plan, index, port, sim.robot);
    this.robots[index] = fresh;
    return fresh;
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await Promise.all(this.robots.map((r) => r.server.stop()));
    await this.#advertiser?.stop();
    this.#advertiser = null;
  }

  async #startRobot(
    id: string,
    name: string,
    plan: string,
    index: number,
    port: number,
    existing?: SimulatedRobot,
  ): Promise<SimRobot> {
    const o = this.#opts;
    const storage = new RobotStorage(join(o.stateDir, id));
    const secrets = await storage.loadSecrets(id, o.setupCodes?.[index]);
    const robot =
      existing ??
      new SimulatedRobot({
        id,
        name,
        plan: isFloorPlanId(plan) ? plan : "apartment",
        now: this.now,
        serial: `SIM${String(index + 1).padStart(6, "0")}`,
        explored: o.explored ?? true,
      });
    const announce = (paired: boolean) =>
      this.#advertiser?.announce({
        id,
        name,
        model: robot.info().model,
        port: server.port,
        paired,
        fingerprint: secrets.identity.fingerprint,
      });
    const server: RobotServer = new RobotServer({
      robot,
      storage,
      secrets,
      log: o.log,
      now: this.now,
      host: o.host ?? "0.0.0.0",
      port,
      ...(o.heartbeatIntervalMs ? { heartbeatIntervalMs: o.heartbeatIntervalMs } : {}),
      ...(o.heartbeatTimeoutMs ? { heartbeatTimeoutMs: o.heartbeatTimeoutMs } : {}),
      onPairingChanged: (paired) => void announce(paired),
      ...(o.disabledCapabilities?.[index] ? { disabledCapabilities: o.disabledCapabilities[index] } : {}),
    });
    const actualPort = await server.start();
    await announce(server.paired);
    return { id, name, plan, setupCode: secrets.setupCode, robot, server, storage, port: actualPort };
  }
}
