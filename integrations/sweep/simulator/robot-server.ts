/**
 * The robot's side of the Sweep Local Protocol (docs/protocol.md): a TLS WebSocket server that asks every client
 * for its certificate, lets unknown hubs only say hello and pair (SPAKE2+ bound to both certificates, rate
 * limited), and serves paired hubs every command of the robot's capabilities. A robot maker would write the
 * same thing in their firmware; here it wraps the simulator engine.
 */

import type { IncomingMessage } from "node:http";
import type { Server } from "node:https";
import type { TLSSocket } from "node:tls";
import type { WebSocket, WebSocketServer } from "ws";
import { AttemptLimiter } from "../protocol/attempt-limiter.ts";
import { PROTOCOL_VERSION } from "../protocol/constants.ts";
import { ProtocolError } from "../protocol/errors.ts";
import { type Extension, eventFor, isExtension, stateFor } from "../protocol/extensions.ts";
import { normalizeFingerprint } from "../protocol/identity.ts";
import { encodeDeltaFrame, encodeFullFrame } from "../protocol/map-frame.ts";
import { type Capabilities, type Capability, METHODS, type MethodName } from "../protocol/methods.ts";
import { PairingError, PairingVerifier } from "../protocol/pairing.ts";
import { Peer, type PeerLogger } from "../protocol/peer.ts";
import { createRobotTransport } from "../protocol/robot-transport.ts";
import type { RobotSecrets, RobotStorage } from "./robot-storage.ts";
import type { MapUpdate, SimulatedRobot } from "./simulated-robot.ts";

export interface RobotServerOptions {
  robot: SimulatedRobot;
  storage: RobotStorage;
  secrets: RobotSecrets;
  log: PeerLogger;
  /** Robot clock for rate limiting (the simulator's scaled clock). */
  now: () => number;
  host?: string;
  port?: number;
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
  /** Capabilities this robot model lacks (a "lite" model without mopping, say). */
  disabledCapabilities?: readonly Capability[];
  /** Called when the set of paired hubs changes (the mDNS TXT `paired` flag follows it). */
  onPairingChanged?: (paired: boolean) => void;
}

interface Connection {
  peer: Peer;
  fingerprint: string;
  paired: boolean;
  pairing: PairingVerifier | null;
  hubName: string;
  /** Set by `map.get`: this hub wants binary map frames (hubs that never ask get none, §2.5). */
  maps: boolean;
  /** Additions to v1 this hub enabled (`extensions.enable`, §6.1); others get the v1 equivalent. */
  extensions: Set<Extension>;
}

const PAIRING_FAILED =
  "Pairing failed: the setup code is wrong, or something between the hub and the robot interfered";

export class RobotServer {
  readonly #opts: RobotServerOptions;
  #secrets: RobotSecrets;
  readonly #connections = new Set<Connection>();
  readonly #limiter: AttemptLimiter;
  #server: Server | null = null;
  #wss: WebSocketServer | null = null;
  #unsubscribe: (() => void) | null = null;
  #unsubscribeMaps: (() => void) | null = null;

  constructor(options: RobotServerOptions) {
    this.#opts = options;
    this.#secrets = options.secrets;
    this.#limiter = new AttemptLimiter({ now: options.now });
  }

  get port(): number {
    const addr = this.#server?.address();
    return addr && typeof addr === "object" ? addr.port : 0;
  }

  get fingerprint(): string {
    return this.#secrets.identity.fingerprint;
  }

  get paired(): boolean {
    return this.#opts.storage.pairedHubs().length > 0;
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  async start(): Promise<number> {
    const { identity } = this.#secrets;
    // Hubs use self-signed certificates too: they are authorised by pinned fingerprint, checked per connection.
    const { server, wss } = createRobotTransport(identity);
    wss.on("connection", (ws, req) => this.#onConnection(ws, req));
    this.#server = server;
    this.#wss = wss;
    this.#unsubscribe = this.#opts.robot.onEvent((name, payload) => {
      for (const c of this.#connections)
        if (c.paired) c.peer.emit(name, eventFor(name, payload, c.extensions));
    });
    this.#unsubscribeMaps = this.#opts.robot.onMapUpdate((update) => this.#onMapUpdate(update));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.#opts.port ?? 0, this.#opts.host ?? "0.0.0.0", () => {
        server.off("error", reject);
        resolve();
      });
    });
    return this.port;
  }

  /** Sends raw bytes as a binary frame to every hub subscribed to maps; only for tests of bad frames. */
  sendRawMapFrame(data: Buffer): void {
    for (const c of this.#connections) if (c.paired && c.maps) c.peer.sendBinary(data);
  }

  /** Drops every connection without a close handshake, as a robot losing power would. */
  dropConnections(): void {
    for (const c of this.#connections) c.peer.terminate();
  }

  /** Stops reading from every connection (a hung robot): sockets stay open but nothing is answered. */
  freezeConnections(): void {
    for (const c of this.#connections) c.peer.pause();
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribeMaps?.();
    for (const c of this.#connections) c.peer.close(1001, "robot shutting down");
    this.#wss?.close();
    await new Promise<void>((resolve) => {
      if (!this.#server) return resolve();
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
    this.#server = null;
  }

  /** Replaces the identity after a factory reset (the server must be restarted to present it). */
  setSecrets(secrets: RobotSecrets): void {
    this.#secrets = secrets;
  }

  #onConnection(ws: WebSocket, req: IncomingMessage): void {
    const socket = req.socket as TLSSocket;
    const cert = socket.getPeerCertificate();
    if (!cert?.fingerprint256) {
      ws.close(4401, "client certificate required");
      return;
    }
    const fingerprint = normalizeFingerprint(cert.fingerprint256);
    const peer = new Peer(ws, {
      log: this.#opts.log,
      idPrefix: "r",
      validateResults: false,
      ...(this.#opts.heartbeatIntervalMs ? { heartbeatIntervalMs: this.#opts.heartbeatIntervalMs } : {}),
      ...(this.#opts.heartbeatTimeoutMs ? { heartbeatTimeoutMs: this.#opts.heartbeatTimeoutMs } : {}),
    });
    const conn: Connection = {
      peer,
      fingerprint,
      paired: this.#opts.storage.pairedHubs().some((h) => h.fingerprint === fingerprint),
      pairing: null,
      hubName: "",
      maps: false,
      extensions: new Set(),
    };
    this.#connections.add(conn);
    peer.onClose(() => this.#connections.delete(conn));
    peer.setGuard((method) => this.#guard(conn, method));
    this.#registerHandlers(conn);
  }

  #guard(conn: Connection, method: MethodName): void {
    const spec = METHODS[method];
    if (!conn.paired && !spec.beforePairing) {
      throw new ProtocolError(
        "not_paired",
        "This hub is not paired with the robot; pair with the setup code first",
      );
    }
    if (spec.capability && !this.#hasCapability(spec.capability)) {
      throw new ProtocolError("unsupported_capability", `This robot does not support ${spec.capability}`, {
        capability: spec.capability,
      });
    }
  }

  #hasCapability(capability: Capability): boolean {
    return Object.hasOwn(this.#capabilities(), capability);
  }

  #capabilities(): Capabilities {
    const all = { ...this.#opts.robot.capabilities() } as Record<string, unknown>;
    for (const c of this.#opts.disabledCapabilities ?? []) delete all[c];
    return all as Capabilities;
  }

  /** Deltas and changed layouts go to every paired hub that asked for maps; each frame is encoded once. */
  #onMapUpdate(update: MapUpdate): void {
    const targets = [...this.#connections].filter((c) => c.paired && c.maps);
    if (targets.length === 0) return;
    const frame =
      update.kind === "delta"
        ? encodeDeltaFrame(update.delta, update.lastPathPoint)
        : encodeFullFrame(this.#opts.robot.mapSnapshot(update.floor, false));
    for (const c of targets) c.peer.sendBinary(frame);
  }

  /** The whole map of a floor to one hub, before the answer to its request (so the answer confirms it). */
  #sendMap(conn: Connection, floor?: string): { floor: string; version: number } {
    const map = this.#opts.robot.mapSnapshot(floor);
    conn.maps = true;
    conn.peer.sendBinary(encodeFullFrame(map));
    return { floor: map.floor, version: map.version };
  }

  #registerHandlers(conn: Connection): void {
    const { peer } = conn;
    const robot = this.#opts.robot;
    const state = () => stateFor(robot.state(), conn.extensions);
    const withState = (action: () => void) => () => {
      action();
      return { state: state() };
    };
    peer.handle("hello", (p) => {
      if (!p.proto.includes(PROTOCOL_VERSION)) {
        throw new ProtocolError(
          "unsupported_version",
          `This robot speaks protocol version ${PROTOCOL_VERSION}`,
          {
            supported: [PROTOCOL_VERSION],
          },
        );
      }
      conn.hubName = p.hub.name;
      return {
        proto: PROTOCOL_VERSION,
        robot: robot.info(),
        capabilities: this.#capabilities(),
        paired: conn.paired,
        state: conn.paired ? state() : null,
      };
    });
    peer.handle("ping", () => ({ time: this.#opts.now() }));
    peer.handle("pair.start", (p) => {
      const check = this.#limiter.check();
      if (!check.allowed) {
        throw new ProtocolError(
          "rate_limited",
          "Too many failed pairing attempts; wait before trying again",
          {
            retryAfterMs: check.retryAfterMs,
          },
        );
      }
      conn.hubName = p.hubName;
      conn.pairing = new PairingVerifier({
        verifier: this.#secrets.verifier,
        hubFingerprint: conn.fingerprint,
        robotFingerprint: this.#secrets.identity.fingerprint,
      });
      return { salt: this.#secrets.verifier.salt, iterations: this.#secrets.verifier.iterations };
    });
    peer.handle("pair.exchange", async (p) => {
      if (!conn.pairing) throw new ProtocolError("invalid_state", "Send pair.start first");
      const check = this.#limiter.check();
      if (!check.allowed) {
        conn.pairing = null;
        throw new ProtocolError(
          "rate_limited",
          "Too many failed pairing attempts; wait before trying again",
          {
            retryAfterMs: check.retryAfterMs,
          },
        );
      }
      // Counted as failed until pair.confirm succeeds: a hub that aborts after learning pB (it found cB wrong)
      // must not get free guesses.
      this.#limiter.recordFailure();
      try {
        return await conn.pairing.respond(p.pA);
      } catch (e) {
        conn.pairing = null;
        if (e instanceof PairingError) throw new ProtocolError("pairing_failed", PAIRING_FAILED);
        throw e;
      }
    });
    peer.handle("pair.confirm", async (p) => {
      const pairing = conn.pairing;
      conn.pairing = null;
      if (!pairing) throw new ProtocolError("invalid_state", "Send pair.start and pair.exchange first");
      try {
        await pairing.finish(p.cA);
      } catch (e) {
        if (e instanceof PairingError) throw new ProtocolError("pairing_failed", PAIRING_FAILED);
        throw e;
      }
      this.#limiter.recordSuccess();
      const hubs = this.#opts.storage.pairedHubs().filter((h) => h.fingerprint !== conn.fingerprint);
      hubs.push({ fingerprint: conn.fingerprint, name: conn.hubName, pairedAt: this.#opts.now() });
      this.#opts.storage.savePairedHubs(hubs);
      conn.paired = true;
      this.#opts.onPairingChanged?.(true);
      return { paired: true as const };
    });
    peer.handle("unpair", () => {
      const hubs = this.#opts.storage.pairedHubs().filter((h) => h.fingerprint !== conn.fingerprint);
      this.#opts.storage.savePairedHubs(hubs);
      for (const c of this.#connections) if (c.fingerprint === conn.fingerprint) c.paired = false;
      this.#opts.onPairingChanged?.(hubs.length > 0);
      // Only the connections open now: a pairing connection the hub opens right after must survive.
      const stale = [...this.#connections].filter((c) => c.fingerprint === conn.fingerprint);
      setTimeout(() => {
        for (const c of stale) c.peer.close(4403, "unpaired");
      }, 50).unref();
      return { unpaired: true as const };
    });
    peer.handle("state.get", () => ({ state: state() }));
    peer.handle("extensions.enable", (p) => {
      // Only extensions whose capability this robot offers: the others' values never occur here.
      for (const name of p.extensions) {
        if (isExtension(name) && this.#hasCapability(name)) conn.extensions.add(name);
      }
      return { enabled: [...conn.extensions], state: state() };
    });
    peer.handle("map.explore", (p) => {
      robot.explore(p.floor);
      return { state: state() };
    });
    peer.handle(
      "clean.start",
      withState(() => robot.start()),
    );
    peer.handle(
      "clean.pause",
      withState(() => robot.pause()),
    );
    peer.handle(
      "clean.resume",
      withState(() => robot.resume()),
    );
    peer.handle(
      "clean.stop",
      withState(() => robot.stop()),
    );
    peer.handle(
      "dock.return",
      withState(() => robot.returnToDock()),
    );
    peer.handle(
      "locate",
      withState(() => robot.locate()),
    );
    peer.handle("settings.set", (p) => {
      const needs: [keyof typeof p, Capability][] = [
        ["fanSpeed", "fan_speed"],
        ["waterLevel", "water_level"],
        ["mode", "clean_mode"],
      ];
      for (const [field, cap] of needs) {
        if (p[field] !== undefined && !this.#hasCapability(cap)) {
          throw new ProtocolError("unsupported_capability", `This robot does not support ${cap}`, {
            capability: cap,
          });
        }
      }
      robot.setSettings(p);
      return { state: state() };
    });
    peer.handle("rooms.list", () => robot.rooms());
    peer.handle("clean.rooms", (p) => {
      robot.cleanRooms(p.rooms);
      return { state: state() };
    });
    peer.handle("clean.zones", (p) => {
      robot.cleanZones(p.zones, p.repeats);
      return { state: state() };
    });
    peer.handle("goto", (p) => {
      robot.goTo(p.x, p.y);
      return { state: state() };
    });
    peer.handle("map.get", (p) => this.#sendMap(conn, p.floor));
    peer.handle("map.floor.set", (p) => {
      const subscribed = conn.maps;
      robot.setFloor(p.floor);
      return subscribed
        ? { floor: p.floor, version: robot.mapVersion(p.floor) }
        : this.#sendMap(conn, p.floor);
    });
    // Edits: the robot's map listener has already sent the new full frame when these answer.
    const edited = (floor: string | undefined, room?: string) => {
      const f = floor ?? robot.state().floor;
      return { floor: f, version: robot.mapVersion(f), ...(room ? { room } : {}) };
    };
    peer.handle("map.rooms.rename", (p) => {
      robot.renameRoom(p.room, p.name, p.floor);
      return edited(p.floor, p.room);
    });
    peer.handle("map.rooms.merge", (p) => edited(p.floor, robot.mergeRooms(p.rooms[0], p.rooms[1], p.floor)));
    peer.handle("map.rooms.split", (p) => edited(p.floor, robot.splitRoom(p.room, p.line, p.floor)));
    peer.handle("map.restrictions.set", (p) => {
      robot.setRestrictions(p.restrictions, p.floor);
      return edited(p.floor);
    });
    peer.handle("consumables.get", () => ({ consumables: robot.consumables() }));
    peer.handle("consumables.reset", (p) => {
      robot.resetConsumable(p.id);
      return { consumables: robot.consumables() };
    });
  }
}
