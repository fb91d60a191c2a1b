/**
 * Finds robots on the LAN by browsing `_sweep._tcp` (docs/protocol.md §1.1) and advertises the hub as
 * `_sweephub._tcp` for clients. Keeps the list of robots currently announced, and tells subscribers about
 * new robots and address changes so sessions follow robots whose DHCP lease changed.
 */

import { Bonjour, type Browser, type Service } from "bonjour-service";
import { HUB_SERVICE_TYPE, ROBOT_SERVICE_TYPE } from "../../integrations/sweep/protocol/constants.ts";
import { mdnsSocketOptions } from "../../integrations/sweep/protocol/mdns-options.ts";
import type { EventBus } from "../core/event-bus.ts";
import type { DiscoveredRobot } from "../core/robot-view.ts";
import type { Logger } from "../logging.ts";

export interface DiscoveryOptions {
  log: Logger;
  bus: EventBus;
  /** IP address of the interface used for multicast; empty = the system's default. */
  interface: string;
  /** Hub name and HTTP port to advertise as `_sweephub._tcp`; can be set later with setAdvertisement(). */
  advertise: HubAdvertisement | null;
  /** Robot ids already paired with this hub (to mark them `known`). */
  isKnown: (robotId: string) => boolean;
  now?: () => number;
  requeryMs?: number;
}

type Found = Omit<DiscoveredRobot, "known">;

export interface HubAdvertisement {
  name: string;
  port: number;
  /** Stable hub id: part of the instance name, so two hubs with the same display name never collide. */
  id: string;
}

const ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** Reads a robot announcement; null when it is not a valid Sweep robot record (ignored, never trusted). */
export function parseRobotService(service: Service, now: number): Found | null {
  const txt = (service.txt ?? {}) as Record<string, unknown>;
  const str = (k: string) => (typeof txt[k] === "string" ? (txt[k] as string) : String(txt[k] ?? ""));
  const id = str("id");
  if (!ID_PATTERN.test(id)) return null;
  const host =
    service.addresses?.find((a) => !a.includes(":")) ?? service.addresses?.[0] ?? service.referer?.address;
  if (!host || !Number.isInteger(service.port) || service.port <= 0 || service.port > 65535) return null;
  return {
    id,
    name: str("name").slice(0, 100) || service.name,
    model: str("model").slice(0, 100),
    host,
    port: service.port,
    paired: str("paired") === "1",
    fingerprint: str("fp").slice(0, 64),
    proto: str("proto").slice(0, 16),
    lastSeenAt: now,
  };
}

export class DiscoveryService {
  readonly #opts: DiscoveryOptions;
  readonly #found = new Map<string, Found>();
  /** Service instance name -> robot id, to handle goodbyes (which carry no TXT). */
  readonly #byService = new Map<string, string>();
  readonly #listeners = new Set<(robot: Found) => void>();
  #bonjour: Bonjour | null = null;
  #browser: Browser | null = null;
  #timer: NodeJS.Timeout | null = null;
  #running = false;
  #advertise: HubAdvertisement | null;

  constructor(options: DiscoveryOptions) {
    this.#opts = options;
    this.#advertise = options.advertise;
  }

  /** The HTTP port is known only once the server listens, so the advertisement is set just before start(). */
  setAdvertisement(advertise: HubAdvertisement | null): void {
    this.#advertise = advertise;
  }

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    const { log } = this.#opts;
    // bonjour-service passes these through to multicast-dns, whose options its types do not declare.
    const mdnsOptions = mdnsSocketOptions(this.#opts.interface) as Record<string, unknown>;
    this.#bonjour = new Bonjour(mdnsOptions as ConstructorParameters<typeof Bonjour>[0], (err: Error) =>
      log.warn({ err: err.message }, "mDNS error"),
    );
    this.#browser = this.#bonjour.find({ type: ROBOT_SERVICE_TYPE });
    const onFound = (service: Service) => this.#onService(service);
    this.#browser.on("up", onFound);
    this.#browser.on("srv-update", onFound);
    this.#browser.on("txt-update", onFound);
    this.#browser.on("down", (service: Service) => this.#onDown(service));
    if (this.#advertise) {
      this.#bonjour.publish({
        name: `${this.#advertise.name} (${this.#advertise.id.slice(0, 8)})`,
        type: HUB_SERVICE_TYPE,
        port: this.#advertise.port,
        txt: { proto: "1", path: "/api", id: this.#advertise.id, name: this.#advertise.name },
        // The id in the instance name makes it unique; probing would only find our own stale record.
        probe: false,
      });
    }
    // Robots that missed our first query (or whose announcement was lost) answer the next one.
    this.#timer = setInterval(() => this.#browser?.update(), this.#opts.requeryMs ?? 30_000);
    this.#timer.unref();
    this.#running = true;
    log.info({ interface: this.#opts.interface || "default" }, "browsing for _sweep._tcp robots");
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#browser?.stop();
    const bonjour = this.#bonjour;
    this.#bonjour = null;
    this.#running = false;
    if (!bonjour) return;
    await new Promise<void>((resolve) => bonjour.unpublishAll(() => resolve()));
    await new Promise<void>((resolve) => bonjour.destroy(() => resolve()));
  }

  /** Asks robots to announce themselves now (used after pairing and by the "scan" button). */
  rescan(): void {
    this.#browser?.update();
  }

  list(): DiscoveredRobot[] {
    return [...this.#found.values()]
      .map((r) => ({ ...r, known: this.#opts.isKnown(r.id) }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  get(robotId: string): DiscoveredRobot | null {
    const r = this.#found.get(robotId);
    return r ? { ...r, known: this.#opts.isKnown(r.id) } : null;
  }

  /** Subscribe to robots found or changed (address, TXT). */
  onRobot(listener: (robot: Found) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #onService(service: Service): void {
    const robot = parseRobotService(service, (this.#opts.now ?? Date.now)());
    if (!robot) {
      this.#opts.log.debug({ name: service.name }, "ignoring invalid _sweep._tcp announcement");
      return;
    }
    const before = this.#found.get(robot.id);
    this.#found.set(robot.id, robot);
    this.#byService.set(service.name, robot.id);
    if (
      !before ||
      before.host !== robot.host ||
      before.port !== robot.port ||
      before.paired !== robot.paired
    ) {
      this.#opts.log.info(
        { robotId: robot.id, host: robot.host, port: robot.port, paired: robot.paired },
        "robot announced",
      );
    }
    for (const l of this.#listeners) l(robot);
    this.#opts.bus.emit("discoveryChanged", {});
  }

  #onDown(service: Service): void {
    const id = this.#byService.get(service.name);
    if (id === undefined) return;
    this.#byService.delete(service.name);
    this.#found.delete(id);
    this.#opts.log.info({ robotId: id }, "robot left the network");
    this.#opts.bus.emit("discoveryChanged", {});
  }
}
