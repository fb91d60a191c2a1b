/**
 * One end of a Sweep Local Protocol connection over an open WebSocket (docs/protocol.md §2, §5, §6):
 * correlates requests and responses, dispatches requests to handlers, validates every frame, answers bad frames
 * with the defined error, and runs the heartbeat. Used by the hub (client) and by robots (server) alike.
 */
import type WebSocket from "ws";
import { HEARTBEAT_INTERVAL_MS, HEARTBEAT_TIMEOUT_MS, PROTOCOL_VERSION } from "./constants.ts";
import { assertSchema, encodeFrame, type Frame, FrameError, parseFrame } from "./envelope.ts";
import { ProtocolError } from "./errors.ts";
import {
  EVENTS,
  type EventName,
  type EventPayload,
  METHODS,
  type MethodName,
  type MethodPayload,
  type MethodResult,
} from "./methods.ts";

/** The subset of a pino logger the protocol layer uses. */
export interface PeerLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export class RequestTimeoutError extends Error {
  readonly code = "timeout";
  constructor(method: string, ms: number) {
    super(`No answer to ${method} within ${ms} ms`);
    this.name = "RequestTimeoutError";
  }
}

export class ConnectionClosedError extends Error {
  readonly code = "connection_closed";
  constructor(method: string) {
    super(`Connection closed before ${method} was answered`);
    this.name = "ConnectionClosedError";
  }
}

/**
 * The other side answered with a result that does not match the method's result schema: its fault, not the
 * caller's (a ProtocolError `invalid_payload` would read as "your arguments are wrong").
 */
export class InvalidResultError extends Error {
  readonly code = "invalid_result";
  readonly details: Record<string, unknown> | undefined;
  constructor(method: string, cause: ProtocolError) {
    super(`The answer to ${method} does not match the protocol: ${cause.message}`);
    this.name = "InvalidResultError";
    this.details = cause.details;
  }
}

export interface PeerOptions {
  log: PeerLogger;
  /** Prefix for request ids (`h` for hubs, `r` for robots) to make traces readable. */
  idPrefix: string;
  requestTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
  /** Check answers against the method's result schema (hubs do: a robot's answer is untrusted input). */
  validateResults?: boolean;
}

type Handler<M extends MethodName> = (
  payload: MethodPayload<M>,
) => Promise<MethodResult<M>> | MethodResult<M>;
type AnyHandler = (payload: unknown) => unknown;
type EventListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

interface Pending {
  method: MethodName;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class Peer {
  readonly #ws: WebSocket;
  readonly #opts: Required<PeerOptions>;
  readonly #handlers = new Map<MethodName, AnyHandler>();
  readonly #pending = new Map<string, Pending>();
  readonly #eventListeners = new Set<EventListener>();
  readonly #closeListeners = new Set<(code: number, reason: string) => void>();
  #binaryListener: ((data: Buffer) => void) | null = null;
  #guard: ((method: MethodName) => void) | null = null;
  #seq = 0;
  #lastHeard = Date.now();
  #heartbeat: NodeJS.Timeout | null = null;
  #lastPing = 0;
  #closed = false;

  constructor(ws: WebSocket, options: PeerOptions) {
    this.#ws = ws;
    this.#opts = {
      requestTimeoutMs: 10_000,
      heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS,
      heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS,
      validateResults: true,
      ...options,
    };
    ws.on("message", (data, isBinary) => this.#onMessage(data as Buffer | Buffer[] | ArrayBuffer, isBinary));
    ws.on("pong", () => {
      this.#lastHeard = Date.now();
    });
    ws.on("ping", () => {
      this.#lastHeard = Date.now();
    });
    ws.on("close", (code, reason) => this.#onClose(code, reason.toString()));
    ws.on("error", (err) => this.#opts.log.debug({ err: err.message }, "websocket error"));
    this.#startHeartbeat();
  }

  get isOpen(): boolean {
    return !this.#closed && this.#ws.readyState === this.#ws.OPEN;
  }

  handle<M extends MethodName>(method: M, handler: Handler<M>): this {
    this.#handlers.set(method, handler as AnyHandler);
    return this;
  }

  /** Called before any handler; throw a ProtocolError to refuse (pairing gate, capability checks). */
  setGuard(guard: (method: MethodName) => void): void {
    this.#guard = guard;
  }

  onEvent(listener: EventListener): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  onClose(listener: (code: number, reason: string) => void): () => void {
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  /** Binary frames are reserved for maps and camera (§2.4); without a listener they get `binary_not_supported`. */
  onBinary(listener: ((data: Buffer) => void) | null): void {
    this.#binaryListener = listener;
  }

  request<M extends MethodName>(
    method: M,
    payload: MethodPayload<M>,
    options: { timeoutMs?: number } = {},
  ): Promise<MethodResult<M>> {
    if (!this.isOpen) return Promise.reject(new ConnectionClosedError(method));
    const id = `${this.#opts.idPrefix}${++this.#seq}`;
    const timeoutMs = options.timeoutMs ?? this.#opts.requestTimeoutMs;
    return new Promise<MethodResult<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new RequestTimeoutError(method, timeoutMs));
      }, timeoutMs);
      this.#pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject, timer });
      this.#send({ v: PROTOCOL_VERSION, id, type: method, payload: payload as Record<string, unknown> });
    });
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    if (!this.isOpen) return;
    this.#send({
      v: PROTOCOL_VERSION,
      id: `e${++this.#seq}`,
      type: name,
      payload: payload as Record<string, unknown>,
    });
  }

  sendBinary(data: Buffer): void {
    if (this.isOpen) this.#ws.send(data, { binary: true });
  }

  /** Sends a raw string; only for tests and tools that exercise error handling. */
  sendRaw(text: string): void {
    if (this.isOpen) this.#ws.send(text);
  }

  close(code = 1000, reason = ""): void {
    if (this.#closed) return;
    try {
      this.#ws.close(code, reason);
    } catch {
      this.#ws.terminate();
    }
    // A peer that never answers the close handshake must not keep the socket forever.
    setTimeout(() => this.#ws.terminate(), 2_000).unref();
  }

  /** Stops reading from the socket (no frames, no pongs); used to simulate a hung peer. */
  pause(): void {
    this.#ws.pause();
    if (this.#heartbeat) clearInterval(this.#heartbeat);
  }

  terminate(): void {
    this.#ws.terminate();
  }

  #send(frame: Frame): void {
    this.#ws.send(encodeFrame(frame));
  }

  #onMessage(data: Buffer | Buffer[] | ArrayBuffer, isBinary: boolean): void {
    this.#lastHeard = Date.now();
    const buf = Buffer.isBuffer(data)
      ? data
      : Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.from(data as ArrayBuffer);
    if (isBinary) {
      if (this.#binaryListener) {
        this.#binaryListener(buf);
      } else {
        this.#sendError(
          null,
          new ProtocolError("binary_not_supported", "Binary frames are not used on this connection"),
        );
      }
      return;
    }
    let frame: Frame;
    try {
      frame = parseFrame(buf.toString("utf8"));
    } catch (e) {
      const fe = e instanceof FrameError ? e : new FrameError(null, "malformed_frame", "Unreadable frame");
      this.#opts.log.warn({ code: fe.code, frameId: fe.frameId }, `rejected frame: ${fe.message}`);
      // Never answer an error with an error: two confused peers would ping-pong forever.
      if (!this.#looksLikeErrorFrame(buf)) this.#sendError(fe.frameId, fe);
      return;
    }
    switch (frame.type) {
      case "result":
      case "error":
        this.#onResponse(frame);
        return;
      default:
        if (frame.type.startsWith("event.")) {
          this.#dispatchEvent(frame.type as EventName, frame.payload);
        } else {
          void this.#onRequest(frame.id as string, frame.type as MethodName, frame.payload);
        }
    }
  }

  #looksLikeErrorFrame(buf: Buffer): boolean {
    return buf.includes('"type":"error"');
  }

  #onResponse(frame: Frame): void {
    if (frame.id === null) {
      this.#opts.log.warn({ error: frame.payload }, "peer reported an error about an unreadable frame");
      return;
    }
    const pending = this.#pending.get(frame.id);
    if (!pending) {
      this.#opts.log.debug({ id: frame.id }, "answer to an unknown or timed-out request ignored");
      return;
    }
    this.#pending.delete(frame.id);
    clearTimeout(pending.timer);
    if (frame.type === "error") {
      const body = frame.payload as {
        code: ProtocolError["code"];
        message: string;
        details?: Record<string, unknown>;
      };
      pending.reject(new ProtocolError(body.code, body.message, body.details));
      return;
    }
    if (this.#opts.validateResults) {
      try {
        assertSchema(METHODS[pending.method].result, frame.payload, `Result of ${pending.method}`);
      } catch (e) {
        pending.reject(new InvalidResultError(pending.method, e as ProtocolError));
        return;
      }
    }
    pending.resolve(frame.payload);
  }

  #dispatchEvent(name: EventName, payload: unknown): void {
    for (const listener of this.#eventListeners) {
      try {
        listener(name, payload as EventPayload<typeof name>);
      } catch (err) {
        this.#opts.log.error({ err, event: name }, "event listener failed");
      }
    }
  }

  async #onRequest(id: string, method: MethodName, payload: unknown): Promise<void> {
    try {
      this.#guard?.(method);
      const handler = this.#handlers.get(method);
      if (!handler) {
        throw new ProtocolError("unsupported_capability", `${method} is not supported by this peer`);
      }
      const result = await handler(payload);
      if (this.isOpen)
        this.#send({ v: PROTOCOL_VERSION, id, type: "result", payload: result as Record<string, unknown> });
    } catch (e) {
      if (e instanceof ProtocolError) {
        this.#sendError(id, e);
      } else {
        this.#opts.log.error({ err: e, method }, "request handler failed");
        this.#sendError(id, new ProtocolError("internal", "Internal error while handling the request"));
      }
    }
  }

  #sendError(id: string | null, error: ProtocolError): void {
    if (this.isOpen) this.#send({ v: PROTOCOL_VERSION, id, type: "error", payload: error.toBody() });
  }

  #startHeartbeat(): void {
    const { heartbeatIntervalMs, heartbeatTimeoutMs } = this.#opts;
    const checkEvery = Math.max(50, Math.min(1_000, Math.floor(heartbeatIntervalMs / 2)));
    this.#heartbeat = setInterval(() => {
      const now = Date.now();
      if (now - this.#lastHeard > heartbeatTimeoutMs) {
        this.#opts.log.warn(
          { silentMs: now - this.#lastHeard },
          "heartbeat lost; closing half-open connection",
        );
        this.#ws.terminate();
        return;
      }
      if (now - this.#lastPing >= heartbeatIntervalMs) {
        this.#lastPing = now;
        try {
          this.#ws.ping();
        } catch {
          // socket already closing; the close event cleans up
        }
      }
    }, checkEvery);
    this.#heartbeat.unref();
  }

  #onClose(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    for (const [id, p] of this.#pending) {
      clearTimeout(p.timer);
      p.reject(new ConnectionClosedError(p.method));
      this.#pending.delete(id);
    }
    for (const listener of this.#closeListeners) listener(code, reason);
  }
}

/** Convenience for handlers: validate an event payload before emitting (used by robot implementations in tests). */
export function assertEventPayload(name: EventName, payload: unknown): void {
  assertSchema(EVENTS[name], payload, `Payload of ${name}`);
}
