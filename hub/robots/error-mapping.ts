/** Translates protocol and connection failures into the hub's error registry (hub/core/errors.ts). */
import { RobotConnectError } from "../../integrations/sweep/hub-client.ts";
import { ProtocolError } from "../../integrations/sweep/protocol/errors.ts";
import {
  ConnectionClosedError,
  InvalidResultError,
  RequestTimeoutError,
} from "../../integrations/sweep/protocol/peer.ts";
import { HubError, type HubErrorCode } from "../core/errors.ts";

const FROM_PROTOCOL: Partial<Record<ProtocolError["code"], HubErrorCode>> = {
  invalid_state: "robot_busy",
  robot_fault: "robot_fault",
  unsupported_capability: "unsupported_capability",
  invalid_payload: "invalid_arguments",
  not_paired: "robot_not_paired",
  rate_limited: "pairing_rate_limited",
  pairing_failed: "pairing_failed",
};

export function toHubError(err: unknown): HubError {
  if (err instanceof HubError) return err;
  if (err instanceof ProtocolError) {
    const code = FROM_PROTOCOL[err.code] ?? "robot_error";
    // The robot's own words are kept: they say what to do ("Empty the bin and resume").
    return new HubError(code, err.message, { robotCode: err.code, ...(err.details ?? {}) });
  }
  if (err instanceof RequestTimeoutError) return new HubError("timeout", err.message);
  if (err instanceof InvalidResultError) return new HubError("robot_error", err.message, err.details);
  if (err instanceof ConnectionClosedError)
    return new HubError("robot_offline", "The robot disconnected before answering");
  if (err instanceof RobotConnectError) {
    switch (err.reason) {
      case "identity_changed":
        return new HubError("identity_changed");
      case "not_paired":
        return new HubError("robot_not_paired");
      case "unreachable":
        return new HubError("robot_unreachable", err.message);
      default:
        return new HubError("robot_error", err.message);
    }
  }
  return new HubError("internal");
}
