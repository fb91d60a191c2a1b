/**
 * Announces simulated robots as `_sweep._tcp` services (docs/protocol.md §1.1), one instance per robot, and
 * re-announces a robot when its TXT record changes (paired flag), as real mDNS responders do.
 */

import { Bonjour, type Service } from "bonjour-service";
import { PROTOCOL_VERSION, ROBOT_SERVICE_TYPE } from "../protocol/constants.ts";
import { shortFingerprint } from "../protocol/identity.ts";
import { mdnsSocketOptions } from "../protocol/mdns-options.ts";

export interface RobotAnnouncement {
  id: string;
  name: string;
  model: string;
  port: number;
  paired: boolean;
  fingerprint: string;
}

export function robotTxt(a: RobotAnnouncement): Record<string, string> {
  return {
    id: a.id,
    model: a.model,
    name: a.name,
    proto: String(PROTOCOL_VERSION),
    paired: a.paired ? "1" : "0",
    fp: shortFingerprint(a.fingerprint),
  };
}

export class RobotAdvertiser {
  readonly #bonjour: Bonjour;
  readonly #services = new Map<string, Service>();

  constructor(mdnsInterface?: string) {
    const opts = mdnsSocketOptions(mdnsInterface) as Record<string, unknown>;
    this.#bonjour = new Bonjour(opts as ConstructorParameters<typeof Bonjour>[0], () => {});
  }

  async announce(a: RobotAnnouncement): Promise<void> {
    await this.withdraw(a.id);
    const service = this.#bonjour.publish({
      // The instance name must be unique on the network; robots put their id in it for that reason.
      name: `${a.name} (${a.id})`,
      type: ROBOT_SERVICE_TYPE,
      port: a.port,
      txt: robotTxt(a),
      disableIPv6: true,
      // Probing would find our own withdrawn record still cached and call it a conflict; ids make names unique.
      probe: false,
    });
    this.#services.set(a.id, service);
  }

  withdraw(robotId: string): Promise<void> {
    const service = this.#services.get(robotId);
    this.#services.delete(robotId);
    if (!service) return Promise.resolve();
    return new Promise((resolve) => service.stop?.(() => resolve()) ?? resolve());
  }

  async stop(): Promise<void> {
    await Promise.all([...this.#services.keys()].map((id) => this.withdraw(id)));
    await new Promise<void>((resolve) => this.#bonjour.destroy(() => resolve()));
  }
}
