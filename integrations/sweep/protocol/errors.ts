/**
 * Error codes a peer puts in an `error` response (docs/protocol.md §5). Stable: a hub or robot may branch on
 * them. The message is for people and may change.
 */
export const PROTOCOL_ERROR_CODES = [
  "malformed_frame",
  "unsupported_version",
  "unknown_type",
  "invalid_payload",
  "frame_too_large",
  "binary_not_supported",
  "not_paired",
  "unsupported_capability",
  "invalid_state",
  "robot_fault",
  "pairing_failed",
  "rate_limited",
  "internal",
] as const;

export type ProtocolErrorCode = (typeof PROTOCOL_ERROR_CODES)[number];

export interface ProtocolErrorBody {
  code: ProtocolErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** Thrown by request handlers (and by `Peer.request` when the other side answered with an error). */
export class ProtocolError extends Error {
  readonly code: ProtocolErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ProtocolErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "ProtocolError";
    this.code = code;
    this.details = details;
  }

  toBody(): ProtocolErrorBody {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}
