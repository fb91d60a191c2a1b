/**
 * Keeps one robot's live map for an element: subscribes over the WebSocket (docs/api.md §Maps), applies deltas,
 * asks for the whole map again when a delta does not fit (a message was missed) and after every reconnect.
 * Until the hub has a map (or for robots without the `map` capability) `model` stays null and the page draws
 * what the live state tells instead.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { describeError, type ErrorText } from "./error-text.ts";
import type { LiveConnection } from "./live.ts";
import { applyDelta, type MapDeltaJson, type MapJson, mapJsonToModel } from "./map-json.ts";
import type { MapModel } from "./map-model.ts";

export type LiveMapModel = MapModel & { version: number };

export class MapSubscription implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #live: LiveConnection;
  #robotId: string | null = null;
  #offs: (() => void)[] = [];
  #seq = 0;
  model: LiveMapModel | null = null;
  /** The last Map JSON received (floors, room metadata for the editors). */
  json: MapJson | null = null;
  error: ErrorText | null = null;

  constructor(host: ReactiveControllerHost, live: LiveConnection) {
    this.#host = host;
    this.#live = live;
    host.addController(this);
  }

  /** Follows `robotId` (null stops). Call from the host's `willUpdate`. */
  follow(robotId: string | null): void {
    if (robotId === this.#robotId) return;
    this.#unsubscribe();
    this.#robotId = robotId;
    this.model = null;
    this.json = null;
    if (robotId) this.#subscribe();
  }

  /** Replaces the map with one the hub answered to an edit (rename, restriction...). */
  replace(json: MapJson): void {
    this.#take(json);
  }

  hostConnected(): void {
    this.#offs = [
      this.#live.on("snapshot", () => this.#subscribe()),
      this.#live.on("map", (m) => {
        if (m.robotId === this.#robotId) this.#take(m.map as MapJson);
      }),
      this.#live.on("map_delta", (m) => {
        if (m.robotId !== this.#robotId || !this.model) return;
        const next = applyDelta(this.model, m.delta as MapDeltaJson);
        if (next) {
          this.model = next;
          this.#host.requestUpdate();
        } else this.#subscribe();
      }),
      // A hub without live maps (older, or the robot has none) rejects the subscription: draw without a map.
      this.#live.on("error", (m) => {
        if (typeof m.id === "string" && m.id.startsWith("map-") && this.model === null)
          this.#host.requestUpdate();
      }),
      this.#live.on("map_error", (m) => {
        if (m.robotId !== this.#robotId) return;
        const e = m.error as { code: string; message: string };
        this.error = { title: "The map could not be updated", message: e.message, code: e.code };
        this.#host.requestUpdate();
      }),
    ];
    if (this.#robotId) this.#subscribe();
  }

  hostDisconnected(): void {
    this.#unsubscribe();
    for (const off of this.#offs) off();
    this.#offs = [];
  }

  #take(json: MapJson): void {
    if (json.robotId !== this.#robotId) return;
    try {
      this.model = mapJsonToModel(json);
      this.json = json;
      this.error = null;
    } catch (err) {
      this.error = describeError(err);
    }
    this.#host.requestUpdate();
  }

  #subscribe(): void {
    if (!this.#robotId) return;
    this.#live.send({ type: "map_subscribe", id: `map-${++this.#seq}`, robotId: this.#robotId });
  }

  #unsubscribe(): void {
    if (this.#robotId) this.#live.send({ type: "map_unsubscribe", robotId: this.#robotId });
  }
}
