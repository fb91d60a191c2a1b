/**
 * The live connection to the hub's WebSocket API (/api/ws, docs/api.md §WebSocket): subscribes to every robot,
 * keeps the store current from snapshots and updates, and reconnects by itself with backoff. The connection
 * state is part of the store so the app can show "Reconnecting…" instead of stale data pretending to be live.
 */
import type { RobotView } from "../../../hub/core/robot-view.ts";
import type { DiscoveredRobotView } from "./api.ts";
import type { Notice } from "./auth-api.ts";
import { reconnectDelay } from "./reconnect.ts";
import type { HubStore } from "./store.ts";

type ServerMessage =
  | { type: "hello"; version: string }
  | { type: "snapshot"; robots: RobotView[]; discovery: DiscoveredRobotView[] }
  | { type: "robot"; robot: RobotView }
  | { type: "robot_removed"; robotId: string }
  | { type: "event"; robotId: string; name: string; payload: unknown }
  | { type: "discovery"; robots: DiscoveredRobotView[] }
  | { type: "notice"; notice: Notice; unread: number }
  | { type: "error"; id?: string; error: { code: string; message: string } }
  | { type: string; [key: string]: unknown };

/** Listeners for message types the store does not handle (map deltas, notices), keyed by type. */
export type MessageListener = (message: Record<string, unknown>) => void;

export class LiveConnection {
  readonly #store: HubStore;
  readonly #url: string;
  #socket: WebSocket | null = null;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #stopped = true;
  readonly #listeners = new Map<string, Set<MessageListener>>();
  /**
   * Called when an open connection closes: the hub closes live connections when access changes (a grant or
   * the session revoked), so the app re-reads who it is before reconnecting.
   */
  onDisconnect: (() => void) | null = null;

  constructor(store: HubStore, url = defaultUrl()) {
    this.#store = store;
    this.#url = url;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#open();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#socket?.close();
    this.#socket = null;
  }

  /** Reconnects now (after signing in, or when the user presses "Retry"). */
  restart(): void {
    this.stop();
    this.#attempt = 0;
    this.start();
  }

  on(type: string, listener: MessageListener): () => void {
    let set = this.#listeners.get(type);
    if (!set) {
      set = new Set();
      this.#listeners.set(type, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  send(message: Record<string, unknown>): boolean {
    if (this.#socket?.readyState !== WebSocket.OPEN) return false;
    this.#socket.send(JSON.stringify(message));
    return true;
  }

  #open(): void {
    this.#store.setConnection(
      this.#attempt === 0 && !this.#store.everConnected ? "connecting" : "reconnecting",
    );
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.#url);
    } catch {
      this.#scheduleReconnect();
      return;
    }
    this.#socket = socket;
    socket.addEventListener("open", () => {
      socket.send(JSON.stringify({ type: "subscribe", id: "dashboard", robots: "*" }));
    });
    socket.addEventListener("message", (ev) => {
      let msg: ServerMessage;
      try {
        msg = JSON.parse(String(ev.data)) as ServerMessage;
      } catch {
        return;
      }
      this.#handle(msg);
    });
    socket.addEventListener("close", () => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      this.onDisconnect?.();
      if (!this.#stopped) this.#scheduleReconnect();
    });
  }

  #scheduleReconnect(): void {
    this.#store.setConnection("reconnecting");
    const delay = reconnectDelay(this.#attempt++);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (!this.#stopped) this.#open();
    }, delay);
  }

  #handle(msg: ServerMessage): void {
    switch (msg.type) {
      case "snapshot": {
        const m = msg as Extract<ServerMessage, { type: "snapshot" }>;
        this.#attempt = 0;
        this.#store.setSnapshot(m.robots, m.discovery);
        this.#store.setConnection("online");
        break;
      }
      case "robot":
        this.#store.upsertRobot((msg as Extract<ServerMessage, { type: "robot" }>).robot);
        break;
      case "robot_removed":
        this.#store.removeRobot((msg as Extract<ServerMessage, { type: "robot_removed" }>).robotId);
        break;
      case "discovery":
        this.#store.setDiscovery((msg as Extract<ServerMessage, { type: "discovery" }>).robots);
        break;
      case "event": {
        const m = msg as Extract<ServerMessage, { type: "event" }>;
        this.#store.robotEvent(m.robotId, m.name, m.payload);
        break;
      }
      case "notice": {
        const m = msg as Extract<ServerMessage, { type: "notice" }>;
        this.#store.noticeRaised(m.notice, m.unread);
        break;
      }
    }
    for (const l of this.#listeners.get(msg.type) ?? []) l(msg as Record<string, unknown>);
  }
}

function defaultUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === "https:" ? "wss:" : "ws:"}//${host}/api/ws`;
}
