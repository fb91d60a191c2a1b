/**
 * Frame envelope (docs/protocol.md §2): every text frame is one JSON object
 * `{ "v": 1, "id": string, "type": string, "payload": object }`.
 * - requests: `type` is a method name; the answer carries the same `id`.
 * - responses: `type` is `"result"` or `"error"`.
 * - events: `type` starts with `event.`; `id` is the sender's event sequence.
 * Parsing never throws anything but ProtocolError, so one bad frame costs one error answer, not the connection.
 */
import type { TSchema } from "typebox";
import { Compile } from "typebox/compile";
import { MAX_TEXT_FRAME_BYTES, PROTOCOL_VERSION } from "./constants.ts";
import { ProtocolError, type ProtocolErrorBody } from "./errors.ts";
import { EVENTS, type EventName, isEventName, isMethodName, METHODS, type MethodName } from "./methods.ts";

export interface RequestFrame {
  v: typeof PROTOCOL_VERSION;
  id: string;
  type: MethodName;
  payload: Record<string, unknown>;
}
export interface ResultFrame {
  v: typeof PROTOCOL_VERSION;
  id: string;
  type: "result";
  payload: Record<string, unknown>;
}
export interface ErrorFrame {
  v: typeof PROTOCOL_VERSION;
  /** null when the frame being answered had no readable id. */
  id: string | null;
  type: "error";
  payload: ProtocolErrorBody;
}
export interface EventFrame {
  v: typeof PROTOCOL_VERSION;
  id: string;
  type: EventName;
  payload: Record<string, unknown>;
}
export type Frame = RequestFrame | ResultFrame | ErrorFrame | EventFrame;

type Validator = ReturnType<typeof Compile<TSchema>>;
const cache = new Map<TSchema, Validator>();
/** Compiled validators, built once per schema on first use. */
export function validatorFor(schema: TSchema): Validator {
  let v = cache.get(schema);
  if (!v) {
    v = Compile(schema);
    cache.set(schema, v);
  }
  return v;
}

export interface SchemaIssue {
  path: string;
  message: string;
}

/** Up to five readable schema violations, most specific first. */
export function schemaIssues(schema: TSchema, value: unknown): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  for (const e of validatorFor(schema).Errors(value)) {
    if (e.keyword === "boolean") continue; // duplicate of additionalProperties
    const extra =
      e.keyword === "additionalProperties" && Array.isArray(e.params?.additionalProperties)
        ? `: ${(e.params.additionalProperties as string[]).join(", ")}`
        : "";
    issues.push({ path: e.instancePath || "/", message: e.message + extra });
    if (issues.length >= 5) break;
  }
  return issues;
}

export function assertSchema(schema: TSchema, value: unknown, what: string): void {
  if (validatorFor(schema).Check(value)) return;
  const issues = schemaIssues(schema, value);
  const first = issues[0];
  throw new ProtocolError(
    "invalid_payload",
    first ? `${what}: ${first.path} ${first.message}` : `${what} is invalid`,
    { issues },
  );
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Why a frame could not be accepted, with the id to answer to when it could be read. */
export class FrameError extends ProtocolError {
  readonly frameId: string | null;
  constructor(
    frameId: string | null,
    code: ProtocolError["code"],
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(code, message, details);
    this.frameId = frameId;
  }
}

const ID_PATTERN = /^[\x21-\x7e]{1,64}$/;

/** Parses and validates one text frame; throws FrameError describing the defined error answer. */
export function parseFrame(text: string): Frame {
  if (Buffer.byteLength(text, "utf8") > MAX_TEXT_FRAME_BYTES) {
    throw new FrameError(
      null,
      "frame_too_large",
      `Text frames are limited to ${MAX_TEXT_FRAME_BYTES} bytes`,
      {
        limit: MAX_TEXT_FRAME_BYTES,
      },
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new FrameError(null, "malformed_frame", "Frame is not valid JSON");
  }
  if (!isObject(raw)) throw new FrameError(null, "malformed_frame", "Frame must be a JSON object");
  const id = typeof raw.id === "string" && ID_PATTERN.test(raw.id) ? raw.id : null;
  if (raw.v !== PROTOCOL_VERSION) {
    throw new FrameError(id, "unsupported_version", `Unsupported protocol version ${JSON.stringify(raw.v)}`, {
      supported: [PROTOCOL_VERSION],
    });
  }
  if (typeof raw.type !== "string") throw new FrameError(id, "malformed_frame", "Frame has no string `type`");
  if (raw.id === null && raw.type === "error") {
    // An error answer to a frame we sent without a readable id: allowed, nothing to correlate.
  } else if (id === null) {
    throw new FrameError(null, "malformed_frame", "Frame `id` must be 1-64 printable ASCII characters");
  }
  const payload = raw.payload === undefined ? {} : raw.payload;
  if (!isObject(payload))
    throw new FrameError(id, "malformed_frame", "Frame `payload` must be a JSON object");
  const type = raw.type;
  if (type === "result") return { v: PROTOCOL_VERSION, id: id as string, type, payload };
  if (type === "error") {
    if (typeof payload.code !== "string" || typeof payload.message !== "string") {
      throw new FrameError(id, "malformed_frame", "Error payload needs string `code` and `message`");
    }
    return { v: PROTOCOL_VERSION, id, type, payload: payload as unknown as ProtocolErrorBody };
  }
  if (isEventName(type)) {
    checkPayload(id as string, EVENTS[type], payload, `Payload of ${type}`);
    return { v: PROTOCOL_VERSION, id: id as string, type, payload };
  }
  if (isMethodName(type)) {
    checkPayload(id as string, METHODS[type].payload, payload, `Payload of ${type}`);
    return { v: PROTOCOL_VERSION, id: id as string, type, payload };
  }
  throw new FrameError(id, "unknown_type", `Unknown frame type ${JSON.stringify(type.slice(0, 64))}`);
}

function checkPayload(id: string, schema: TSchema, payload: unknown, what: string): void {
  try {
    assertSchema(schema, payload, what);
  } catch (e) {
    const pe = e as ProtocolError;
    throw new FrameError(id, pe.code, pe.message, pe.details);
  }
}

export const encodeFrame = (frame: Frame): string => JSON.stringify(frame);
