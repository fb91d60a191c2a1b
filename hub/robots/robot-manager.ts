/**
 * The robots service: owns one RobotSession per paired robot, pairs and unpairs, follows address changes from
 * discovery, and is the single command path every transport uses (HTTP, WebSocket, Matter, MQTT), so checks
 * and errors are the same whichever way a command arrives.
 */
import { pairWithRobot, type RobotAddress } from "../../integrations/sweep/hub-client.ts";
import { schemaIssues, validatorFor } from "../../integrations/sweep/protocol/envelope.ts";
import type { Identity } from "../../integrations/sweep/protocol/identity.ts";
import type { MethodName, MethodPayload, MethodResult } from "../../integrations/sweep/protocol/methods.ts";
import { normalizeSetupCode } from "../../integrations/sweep/protocol/setup-code.ts";
import { type Actor, SYSTEM_ACTORS, type SystemActor } from "../auth/actor.ts";
import type { CommandTrigger } from "../core/capabilities/index.ts";
import { findCommand } from "../core/capabilities/index.ts";
import { HubError } from "../core/errors.ts";
import type { EventBus } from "../core/event-bus.ts";
import type { RobotView } from "../core/robot-view.ts";
import type { DiscoveryService } from "../discovery/discovery-service.ts";
import type { Logger } from "../logging.ts";
import type { CleaningRepository } from "../store/cleaning-repository.ts";
import type { RobotRepository } from "../store/robot-repository.ts";
import { toHubError } from "./error-mapping.ts";
import { RobotSession, type SessionTimings } from "./robot-session.ts";

export interface RobotManagerOptions {
  log: Logger;
  bus: EventBus;
  robots: RobotRepository;
  cleaning: CleaningRepository;
  hub: { id: string; name: string; identity: Identity };
  timings: SessionTimings;
  discovery: DiscoveryService | null;
  /** Who may command which robot, and the audit log (hub/auth); absent in tests of the robot layer alone. */
  access?: CommandAccess;
  now?: () => number;
  /** Told how long each command that reached a robot took, and how it ended ("ok" or an error code): metrics. */
  observeCommand?: (command: string, outcome: string, seconds: number) => void;
}

/**
 * Access checks and auditing for commands, in one place for every transport (HTTP, WebSocket, Matter, MQTT):
 * `authorize` throws when the actor may not control the robot; `record` is told how each command ended.
 */
export interface CommandAccess {
  authorize(actor: Actor, robotId: string): void;
  record(actor: Actor, robotId: string, command: string, errorCode: string | null): void;
}

export interface PairRequest {
  /** A robot seen by discovery... */
  robotId?: string;
  /** ...or an address typed by the user (Docker without host networking, other subnets). */
  host?: string;
  port?: number;
  code: string;
}

export class RobotManager {
  readonly #opts: RobotManagerOptions;
  readonly #sessions = new Map<string, RobotSession>();
  #unsubscribeDiscovery: (() => void) | null = null;
  /** Robot ids with a pairing in progress, so two clicks don't race. */
  readonly #pairing = new Set<string>();

  constructor(options: RobotManagerOptions) {
    this.#opts = options;
  }

  start(): void {
    for (const record of this.#opts.robots.list()) this.#startSession(record.id);
    this.#unsubscribeDiscovery =
      this.#opts.discovery?.onRobot((found) => {
        this.#sessions.get(found.id)?.updateAddress({ host: found.host, port: found.port });
      }) ?? null;
  }

  async stop(): Promise<void> {
    this.#unsubscribeDiscovery?.();
    await Promise.all([...this.#sessions.values()].map((s) => s.stop()));
    this.#sessions.clear();
  }

  isPaired(robotId: string): boolean {
    return this.#sessions.has(robotId);
  }

  list(): RobotView[] {
    return [...this.#sessions.values()].map((s) => s.view());
  }

  get(robotId: string): RobotView {
    return this.#session(robotId).view();
  }

  async pair(req: PairRequest): Promise<RobotView> {
    const code = normalizeSetupCode(req.code);
    if (!code) throw new HubError("invalid_setup_code");
    const address = this.#resolveAddress(req);
    const key = req.robotId ?? `${address.host}:${address.port}`;
    if (this.#pairing.has(key))
      throw new HubError("robot_busy", "Pairing with this robot is already in progress");
    this.#pairing.add(key);
    const log = this.#opts.log.child({ host: address.host, port: address.port });
    try {
      if (req.robotId) this.#assertPairable(req.robotId);
      let result: Awaited<ReturnType<typeof pairWithRobot>>;
      try {
        result = await pairWithRobot({
          address,
          hub: this.#opts.hub,
          code,
          log,
          timeoutMs: this.#opts.timings.commandTimeoutMs,
        });
      } catch (err) {
        const e = toHubError(err);
        log.warn({ code: e.code }, "pairing failed");
        throw e;
      }
      const robot = result.hello.robot;
      if (req.robotId && robot.id !== req.robotId) {
        throw new HubError("pairing_failed", `The robot at that address is ${robot.id}, not ${req.robotId}`);
      }
      this.#assertPairable(robot.id);
      const existing = this.#sessions.get(robot.id);
      if (existing) {
        await existing.stop();
        this.#sessions.delete(robot.id);
      }
      this.#opts.robots.upsertPaired({
        id: robot.id,
        name: robot.name,
        model: robot.model,
        manufacturer: robot.manufacturer,
        firmware: robot.firmware,
        serial: robot.serial,
        host: address.host,
        port: address.port,
        certPem: result.certPem,
        fingerprint: result.fingerprint,
        capabilities: result.hello.capabilities,
        pairedAt: (this.#opts.now ?? Date.now)(),
      });
      if (result.hello.state) this.#opts.robots.saveLastState(robot.id, result.hello.state);
      log.info({ robotId: robot.id }, "robot paired");
      const session = this.#startSession(robot.id);
      return session.view();
    } finally {
      this.#pairing.delete(key);
    }
  }

  /** Forgets a robot: tells it to forget us when it can be reached, then removes it and its data. */
  async unpair(robotId: string): Promise<void> {
    const session = this.#session(robotId);
    if (session.online) {
      try {
        await session.request("unpair", {});
      } catch (err) {
        this.#opts.log.warn(
          { robotId, code: toHubError(err).code },
          "robot could not be told to forget the hub",
        );
      }
    }
    await session.stop();
    this.#sessions.delete(robotId);
    this.#opts.robots.remove(robotId);
    this.#opts.bus.emit("robotRemoved", { robotId });
    this.#opts.log.info({ robotId }, "robot unpaired");
  }

  /**
   * The one command path (see class comment). `actor` is who asked (a user through a session or token, or a
   * part of the hub such as Matter); without one, the trigger names a hub-internal actor.
   */
  async command(
    robotId: string,
    name: string,
    args: unknown,
    trigger: CommandTrigger,
    actor: Actor = { type: "system", name: systemActorFor(trigger) },
  ): Promise<RobotView> {
    const access = this.#opts.access;
    access?.authorize(actor, robotId);
    try {
      const view = await this.#command(robotId, name, args, trigger);
      access?.record(actor, robotId, name, null);
      return view;
    } catch (err) {
      access?.record(actor, robotId, name, toHubError(err).code);
      throw err;
    }
  }

  /** Arguments are validated against the command's schema here. */
  async #command(robotId: string, name: string, args: unknown, trigger: CommandTrigger): Promise<RobotView> {
    const session = this.#session(robotId);
    const def = findCommand(name);
    if (!def) throw new HubError("unknown_command", `Unknown command ${JSON.stringify(name)}`);
    if (!validatorFor(def.body).Check(args ?? {})) {
      const issues = schemaIssues(def.body, args ?? {});
      const first = issues[0];
      throw new HubError("invalid_arguments", first ? `${first.path} ${first.message}` : undefined, {
        issues,
      });
    }
    if (!Object.hasOwn(session.record.capabilities, def.capability)) {
      throw new HubError("unsupported_capability", `This robot does not support ${def.capability}`, {
        capability: def.capability,
      });
    }
    const started = performance.now();
    this.#opts.log.info({ robotId, command: name, trigger }, "command");
    let outcome = "ok";
    try {
      await session.request(def.method, def.toPayload(args ?? {}) as MethodPayload<MethodName>);
    } catch (err) {
      outcome = toHubError(err).code;
      throw err;
    } finally {
      const ms = performance.now() - started;
      this.#opts.observeCommand?.(name, outcome, ms / 1000);
      this.#opts.log.debug({ robotId, command: name, ms: Math.round(ms), outcome }, "command done");
    }
    return session.view();
  }

  /** Read-only robot requests (rooms, consumables, maps) through the same session and error mapping. */
  query<M extends "rooms.list" | "consumables.get" | "state.get" | "map.get">(
    robotId: string,
    method: M,
    payload: MethodPayload<M> = {} as MethodPayload<M>,
  ): Promise<MethodResult<M>> {
    return this.#session(robotId).request(method, payload);
  }

  #session(robotId: string): RobotSession {
    const s = this.#sessions.get(robotId);
    if (!s) throw new HubError("robot_not_found", `No paired robot has id ${JSON.stringify(robotId)}`);
    return s;
  }

  #assertPairable(robotId: string): void {
    const s = this.#sessions.get(robotId);
    if (s && s.view().connection !== "identity_changed" && s.view().connection !== "not_paired") {
      throw new HubError("already_paired");
    }
  }

  #resolveAddress(req: PairRequest): RobotAddress {
    if (req.host !== undefined && req.port !== undefined) return { host: req.host, port: req.port };
    if (req.robotId) {
      const found = this.#opts.discovery?.get(req.robotId);
      if (!found) throw new HubError("discovered_robot_not_found");
      return { host: found.host, port: found.port };
    }
    throw new HubError("invalid_request", "Give either robotId (a discovered robot) or host and port");
  }

  #startSession(robotId: string): RobotSession {
    const record = this.#opts.robots.get(robotId);
    if (!record) throw new HubError("robot_not_found");
    const session = new RobotSession({
      record,
      hub: this.#opts.hub,
      log: this.#opts.log.child({ robotId }),
      bus: this.#opts.bus,
      robots: this.#opts.robots,
      cleaning: this.#opts.cleaning,
      timings: this.#opts.timings,
      ...(this.#opts.now ? { now: this.#opts.now } : {}),
    });
    this.#sessions.set(robotId, session);
    session.start();
    this.#opts.bus.emit("robotUpdated", { robot: session.view() });
    return session;
  }
}

function systemActorFor(trigger: CommandTrigger): SystemActor["name"] {
  return (SYSTEM_ACTORS as readonly string[]).includes(trigger) ? (trigger as SystemActor["name"]) : "hub";
}
