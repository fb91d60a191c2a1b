/**
 * Starts services in order and stops them in reverse (after Zigbee2MQTT's controller): each start runs in its
 * own try/catch so one failing optional service (say, discovery on a host without multicast) is logged and
 * the rest of the hub still comes up. Required services abort the start instead.
 */
import type { Logger } from "../logging.ts";

export interface Service {
  readonly name: string;
  /** A hub without this service is useless (database, HTTP): its failure aborts the start. */
  readonly required: boolean;
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
}

export class ServiceController {
  readonly #log: Logger;
  readonly #started: Service[] = [];
  readonly #failed = new Set<string>();

  constructor(log: Logger) {
    this.#log = log;
  }

  async start(services: readonly Service[]): Promise<void> {
    for (const service of services) {
      try {
        await service.start();
        this.#started.push(service);
      } catch (err) {
        if (service.required) {
          await this.stop();
          throw err;
        }
        this.#failed.add(service.name);
        this.#log.error(
          { err, service: service.name },
          `${service.name} failed to start; continuing without it`,
        );
      }
    }
  }

  isRunning(name: string): boolean {
    return this.#started.some((s) => s.name === name);
  }

  async stop(): Promise<void> {
    while (this.#started.length > 0) {
      const service = this.#started.pop() as Service;
      try {
        await service.stop();
      } catch (err) {
        this.#log.error({ err, service: service.name }, `${service.name} failed to stop cleanly`);
      }
    }
  }
}
