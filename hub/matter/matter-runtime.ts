/**
 * The loaded half of the Matter service, in the Matter worker thread (matter-worker.ts; imported only when
 * Matter is enabled): one matter.js ServerNode per robot (standalone, the default, which Apple Home needs for
 * robot vacuums) or one bridge node with a bridged endpoint per robot. Nodes follow the robots: pairing adds
 * one, unpairing removes it and its storage, and the hub's bus events (forwarded by MatterService as messages)
 * keep every attribute current. Everything it needs from the hub goes through MatterHubLink.
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { type DeviceTypeId, Endpoint, Environment, type ServerNode, VendorId } from "@matter/main";
import { RoboticVacuumCleanerDevice } from "@matter/main/devices/robotic-vacuum-cleaner";
import { AggregatorEndpoint } from "@matter/main/endpoints/aggregator";
import { DeviceCommissioner, FabricManager } from "@matter/main/protocol";
import type { CleaningFinished } from "../../integrations/sweep/protocol/methods.ts";
import type { Config } from "../config/load.ts";
import { HubError } from "../core/errors.ts";
import type { RobotView } from "../core/robot-view.ts";
import type { Logger } from "../logging.ts";
import type { MatterHubLink } from "./hub-link.ts";
import { bridgeMatterLogs, redact } from "./matter-logging.ts";
import type { MatterFabric, MatterNodeInfo } from "./matter-types.ts";
import { RobotEndpoint, uniqueIdFor } from "./robot-endpoint.ts";
import { HubServerNode } from "./server-node.ts";
import type { NodeAllocation } from "./worker-messages.ts";

export interface MatterRuntimeOptions {
  config: Config["matter"];
  hubName: string;
  hubVersion: string;
  /** matter.js storage (fabrics, keys, sessions): data/matter. */
  storageDir: string;
  hub: MatterHubLink;
  log: Logger;
  now?: () => number;
}

/** How long a commissioning window opened from the dashboard stays open (the spec's maximum, §5.4.2.6). */
export const COMMISSIONING_WINDOW_MS = 15 * 60_000;
const BRIDGE_KEY = "bridge";

interface NodeEntry {
  key: string;
  node: ServerNode;
  alloc: NodeAllocation;
  windowUntil: number | null;
  windowTimer: NodeJS.Timeout | null;
}

export class MatterRuntime {
  readonly #opts: MatterRuntimeOptions;
  readonly #nodes = new Map<string, NodeEntry>();
  readonly #endpoints = new Map<string, RobotEndpoint>();
  #aggregator: Endpoint | null = null;
  /** Robot additions and removals, one at a time (pairing twice quickly must not create two nodes). */
  #queue: Promise<void> = Promise.resolve();
  readonly #adding = new Set<string>();
  #unbridgeLogs: (() => void) | null = null;
  #stopped = false;

  constructor(options: MatterRuntimeOptions) {
    this.#opts = options;
  }

  get mode(): Config["matter"]["mode"] {
    return this.#opts.config.mode;
  }

  async start(): Promise<void> {
    const { config, storageDir } = this.#opts;
    const vars = Environment.default.vars;
    vars.set("storage.path", storageDir);
    // Our process owns signals and the exit code (the hub stops Matter in its own shutdown).
    vars.set("runtime.signals", false);
    vars.set("runtime.exitcode", false);
    if (config.networkInterface) vars.set("mdns.networkInterface", config.networkInterface);
    this.#unbridgeLogs = bridgeMatterLogs(this.#opts.log, () => this.#secrets());
    if (config.mode === "bridge") await this.#startBridge();
    // Node changes that arrive meanwhile (a robot unpaired while its node starts) queue up behind these.
    const adding = (async () => {
      for (const view of this.#opts.hub.pairedViews()) await this.#addRobot(view);
    })();
    this.#queue = adding.catch(() => undefined);
    await adding;
  }

  // ---- what happens to robots in the hub (each call is one hub bus event) -----------------------------------

  robotUpdated(robot: RobotView): void {
    const ep = this.#endpoints.get(robot.id);
    if (ep) ep.update(robot);
    else if (!this.#adding.has(robot.id) && this.#opts.hub.isPaired(robot.id)) {
      // A newly paired robot; its position events keep coming while the node starts, so queue it once.
      this.#adding.add(robot.id);
      this.#enqueue(async () => {
        const view = this.#opts.hub.view(robot.id);
        if (view) await this.#addRobot(view).finally(() => this.#adding.delete(robot.id));
        else this.#adding.delete(robot.id);
      });
    }
  }

  robotRemoved(robotId: string): void {
    this.#enqueue(() => this.#removeRobot(robotId));
  }

  /** Rooms renamed, merged or split, or a whole new map (another floor). */
  roomsChanged(robotId: string): void {
    void this.#endpoints.get(robotId)?.refreshRooms();
  }

  jobFinished(robotId: string, finished: CleaningFinished): void {
    void this.#endpoints.get(robotId)?.jobFinished(finished);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#queue;
    for (const ep of this.#endpoints.values()) ep.close();
    await Promise.all(
      [...this.#nodes.values()].map(async (entry) => {
        if (entry.windowTimer) clearTimeout(entry.windowTimer);
        await entry.node.close();
      }),
    );
    this.#nodes.clear();
    this.#endpoints.clear();
    this.#unbridgeLogs?.();
  }

  /** Resolves when queued additions and removals and every pending attribute write are done. */
  async settled(): Promise<void> {
    await this.#queue;
    await Promise.all([...this.#endpoints.values()].map((e) => e.settled()));
  }

  nodes(): MatterNodeInfo[] {
    return [...this.#nodes.values()].map((e) => this.#info(e));
  }

  /** The node a robot is reachable through: its own, or the bridge. */
  nodeFor(robotId: string): MatterNodeInfo {
    return this.#info(this.#entryFor(robotId));
  }

  async openCommissioningWindow(robotId: string): Promise<MatterNodeInfo> {
    const entry = this.#entryFor(robotId);
    const info = this.#info(entry);
    if (info.commissionable) return info;
    if (!entry.node.lifecycle.isOnline)
      throw new HubError("matter_unavailable", "The Matter node is not online");
    const commissioner = entry.node.env.get(DeviceCommissioner);
    if (commissioner.isFailsafeArmed)
      throw new HubError("matter_busy", "A controller is being added right now; try again in a minute");
    const close = () => {
      if (entry.windowTimer) clearTimeout(entry.windowTimer);
      entry.windowTimer = null;
      entry.windowUntil = null;
    };
    // A basic window (§5.4.2.3) with the node's own passcode: the codes the dashboard shows work again.
    await commissioner.allowBasicCommissioning(close);
    entry.windowUntil = (this.#opts.now ?? Date.now)() + COMMISSIONING_WINDOW_MS;
    entry.windowTimer = setTimeout(
      () => void commissioner.endCommissioning().catch(() => {}),
      COMMISSIONING_WINDOW_MS,
    );
    entry.windowTimer.unref();
    this.#opts.log.info({ node: entry.key }, "Matter commissioning window opened");
    return this.#info(entry);
  }

  async removeFabric(robotId: string, fabricIndex: number): Promise<MatterNodeInfo> {
    const entry = this.#entryFor(robotId);
    const fabric = entry.node.env.get(FabricManager).maybeFor(fabricIndex as never);
    if (!fabric) throw new HubError("matter_fabric_not_found");
    const wasLast = entry.node.env.get(FabricManager).fabrics.length === 1;
    await fabric.leave();
    this.#opts.log.info({ node: entry.key, fabricIndex }, "Matter fabric removed");
    // Without controllers a node factory-resets and restarts commissionable (CommissioningServer): answer once
    // it is back, with the codes to add it again.
    if (wasLast) return this.#infoWhenBack(entry, 15_000);
    return this.#info(entry);
  }

  async #infoWhenBack(entry: NodeEntry, timeoutMs: number): Promise<MatterNodeInfo> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        if (entry.node.lifecycle.isOnline) return this.#info(entry);
      } catch {
        // still resetting: its behaviors are not initialized yet
      }
      if (Date.now() > deadline) {
        throw new HubError(
          "matter_unavailable",
          "The Matter node is restarting after its last controller was removed",
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  // ---- nodes ---------------------------------------------------------------------------------------------

  #entryFor(robotId: string): NodeEntry {
    if (!this.#opts.hub.view(robotId)) throw new HubError("robot_not_found");
    const entry = this.#nodes.get(this.mode === "bridge" ? BRIDGE_KEY : robotId);
    if (!entry) throw new HubError("matter_unavailable", "This robot's Matter node is still starting");
    return entry;
  }

  #enqueue(task: () => Promise<void>): void {
    this.#queue = this.#queue
      .then(() => (this.#stopped ? undefined : task()))
      .catch((err) => this.#opts.log.error({ err }, "Matter node change failed"));
  }

  async #addRobot(view: RobotView): Promise<void> {
    if (this.#endpoints.has(view.id) || !this.#opts.hub.isPaired(view.id)) return;
    const known = await this.#opts.hub.known(view.id);
    if (this.#endpoints.has(view.id) || !this.#opts.hub.isPaired(view.id)) return;
    const log = this.#opts.log.child({ robotId: view.id });
    const bridged = this.mode === "bridge";
    const ep = new RobotEndpoint(this.#opts.hub.view(view.id) ?? view, {
      robotId: view.id,
      hub: this.#opts.hub,
      known,
      log,
      bridged,
    });
    this.#endpoints.set(view.id, ep);
    try {
      if (bridged) {
        await this.#aggregator?.add(ep.endpoint);
      } else {
        const node = await this.#createNode(view.id, view.id, {
          name: view.name,
          deviceType: RoboticVacuumCleanerDevice.deviceType,
          basic: {
            vendorName: ep.bridgedInfo().vendorName,
            productName: ep.bridgedInfo().productName,
            nodeLabel: ep.bridgedInfo().nodeLabel,
            serialNumber: ep.bridgedInfo().serialNumber,
            softwareVersionString: ep.bridgedInfo().softwareVersionString,
            uniqueId: uniqueIdFor(view.id),
          },
        });
        await node.add(ep.endpoint);
        await node.start();
      }
      log.info({ mode: this.mode }, "robot exposed over Matter");
      void ep.refreshRooms();
    } catch (err) {
      this.#endpoints.delete(view.id);
      ep.close();
      throw err;
    }
  }

  async #removeRobot(robotId: string): Promise<void> {
    const ep = this.#endpoints.get(robotId);
    if (!ep) return;
    this.#endpoints.delete(robotId);
    ep.close();
    if (this.mode === "bridge") {
      await ep.endpoint.delete();
    } else {
      const entry = this.#nodes.get(robotId);
      this.#nodes.delete(robotId);
      if (entry) {
        if (entry.windowTimer) clearTimeout(entry.windowTimer);
        // The robot is gone for good: its fabrics and keys go too, so a re-paired robot starts commissionable.
        await entry.node.close();
        await rm(join(this.#opts.storageDir, nodeIdFor(robotId)), { recursive: true, force: true });
      }
      await this.#opts.hub.forget(robotId);
    }
    this.#opts.log.info({ robotId }, "robot removed from Matter");
  }

  async #startBridge(): Promise<void> {
    const node = await this.#createNode(BRIDGE_KEY, null, {
      name: this.#opts.hubName,
      deviceType: AggregatorEndpoint.deviceType,
      basic: {
        vendorName: "sweephub",
        productName: "sweephub bridge",
        nodeLabel: this.#opts.hubName.slice(0, 32),
        serialNumber: BRIDGE_KEY,
        softwareVersionString: this.#opts.hubVersion,
        uniqueId: "sweephub-bridge",
      },
    });
    this.#aggregator = new Endpoint(AggregatorEndpoint, { id: "robots" });
    await node.add(this.#aggregator);
    await node.start();
  }

  async #createNode(
    key: string,
    robotId: string | null,
    d: {
      name: string;
      deviceType: DeviceTypeId;
      basic: {
        vendorName: string;
        productName: string;
        nodeLabel: string;
        serialNumber: string;
        softwareVersionString: string;
        uniqueId: string;
      };
    },
  ): Promise<ServerNode> {
    const { config } = this.#opts;
    const alloc = await this.#opts.hub.allocate(key, robotId);
    const node = await HubServerNode.create({
      id: nodeIdFor(key),
      network: { port: alloc.port },
      commissioning: { passcode: alloc.passcode, discriminator: alloc.discriminator },
      productDescription: { name: d.name.slice(0, 32), deviceType: d.deviceType },
      basicInformation: {
        ...d.basic,
        vendorId: VendorId(config.vendorId),
        productId: config.productId,
        hardwareVersion: 1,
        hardwareVersionString: "1",
        softwareVersion: 1,
      },
    });
    this.#nodes.set(key, { key, node, alloc, windowUntil: null, windowTimer: null });
    return node;
  }

  #info(entry: NodeEntry): MatterNodeInfo {
    const node = entry.node;
    const state = node.state.commissioning;
    const fabrics: MatterFabric[] = Object.values(state.fabrics).map((f) => ({
      fabricIndex: Number(f.fabricIndex),
      label: f.label,
      vendorId: Number(f.rootVendorId),
      fabricId: String(f.fabricId),
      nodeId: String(f.nodeId),
    }));
    const commissionable = node.lifecycle.isOnline && (!state.commissioned || entry.windowUntil !== null);
    const codes = commissionable ? state.pairingCodes : null;
    return {
      nodeKey: entry.key,
      mode: this.mode,
      online: node.lifecycle.isOnline,
      port: entry.alloc.port,
      commissioned: state.commissioned,
      commissionable,
      windowClosesAt: entry.windowUntil,
      qrPairingCode: codes?.qrPairingCode ?? null,
      manualPairingCode: codes?.manualPairingCode ?? null,
      fabrics,
    };
  }

  /** A text (an error message) with every setup secret of these nodes masked, before it leaves the worker. */
  scrub(text: string): string {
    return redact(text, this.#secrets());
  }

  /** Every string that must never reach a log line. */
  #secrets(): string[] {
    const out: string[] = [];
    for (const entry of this.#nodes.values()) {
      const { passcode } = entry.alloc;
      out.push(String(passcode).padStart(8, "0"), String(passcode));
      try {
        const codes = entry.node.state.commissioning.pairingCodes;
        out.push(codes.qrPairingCode, codes.manualPairingCode);
      } catch {
        // Not initialized yet: nothing to hide.
      }
    }
    return out;
  }
}

/** matter.js node ids name storage folders under data/matter. */
export const nodeIdFor = (key: string): string =>
  key === BRIDGE_KEY ? "bridge" : `robot-${key.replace(/\./g, "_")}`;
