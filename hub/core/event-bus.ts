/**
 * A typed in-process event bus (after Zigbee2MQTT's eventBus): services publish what happened, transports
 * (WebSocket API, later Matter and MQTT) subscribe. Listeners belong to an owner so a stopping service can
 * drop all of its listeners at once.
 */

import type { MapDelta } from "../../integrations/sweep/protocol/map-model.ts";
import type { EventName, EventPayload } from "../../integrations/sweep/protocol/methods.ts";
import type { NoticeRecord } from "../auth/notice-repository.ts";
import type { RobotView } from "./robot-view.ts";

export interface HubEvents {
  /** A robot's hub-side view changed (connection, state, identity...). */
  robotUpdated: { robot: RobotView };
  /** A paired robot was removed. */
  robotRemoved: { robotId: string };
  /** An event pushed by a robot, forwarded as is. */
  robotEvent: { robotId: string; name: EventName; payload: EventPayload<EventName> };
  /** The set of discovered, unpaired robots changed. */
  discoveryChanged: Record<string, never>;
  /**
   * A robot's rooms changed (renamed, merged, split, another floor's map): transports that show rooms (Matter's
   * ServiceArea) read them again. Emitted by whoever changes rooms (the maps feature).
   */
  roomsChanged: { robotId: string };
  /** A binary frame from a robot (maps, docs/protocol.md §8), handed to the maps service as received. */
  robotBinary: { robotId: string; data: Buffer };
  /**
   * A robot's map of a floor changed: a whole new map (`delta` null: layout, rooms, restrictions, a new floor),
   * or a delta already applied to the hub's copy (docs/api.md "Maps").
   */
  mapUpdated: { robotId: string; floor: string; delta: MapDelta | null };
  /** A robot sent a map frame the hub could not read; the last good map is kept. */
  mapError: { robotId: string; code: string; message: string };
  /**
   * A user's access changed: grants or role changed, a session or token was revoked, the user was deleted.
   * Live connections of that user re-check their access at once (docs/api.md "Accounts and access").
   */
  accessChanged: { userId: string };
  /** A notification was stored for a user (docs/architecture.md "Notifications"); open dashboards show it at once. */
  noticeRaised: { notice: NoticeRecord };
}

type Listener<K extends keyof HubEvents> = (data: HubEvents[K]) => void;

export class EventBus {
  readonly #listeners = new Map<keyof HubEvents, Map<Listener<keyof HubEvents>, object>>();

  on<K extends keyof HubEvents>(event: K, owner: object, listener: Listener<K>): () => void {
    let map = this.#listeners.get(event);
    if (!map) {
      map = new Map();
      this.#listeners.set(event, map);
    }
    map.set(listener as Listener<keyof HubEvents>, owner);
    return () => map.delete(listener as Listener<keyof HubEvents>);
  }

  emit<K extends keyof HubEvents>(event: K, data: HubEvents[K]): void {
    const map = this.#listeners.get(event);
    if (!map) return;
    for (const listener of [...map.keys()]) {
      try {
        listener(data);
      } catch {
        // A failing listener must not stop the others; each service logs its own failures.
      }
    }
  }

  removeAll(owner: object): void {
    for (const map of this.#listeners.values()) {
      for (const [listener, o] of map) if (o === owner) map.delete(listener);
    }
  }
}
