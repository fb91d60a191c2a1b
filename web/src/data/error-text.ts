/**
 * Turns any failure into words a person understands. The hub's messages (hub/core/errors.ts) are already
 * written for people; this adds a short title by who is at fault, and explains failures the hub cannot
 * (the network, a validation message meant for developers).
 */
import { HUB_ERRORS } from "../../../hub/core/errors.ts";
import { ApiError } from "./api.ts";

export interface ErrorText {
  title: string;
  message: string;
  code: string;
}

const TITLES: Record<"caller" | "robot" | "hub", string> = {
  caller: "That did not work",
  robot: "The robot could not do that",
  hub: "Something went wrong in the hub",
};

/** Titles for codes where the generic one would be vague. Codes added to the registry later fall back by kind. */
const SPECIFIC_TITLES: Record<string, string> = {
  network: "No connection to the hub",
  robot_offline: "The robot is offline",
  robot_unreachable: "The robot cannot be reached",
  pairing_failed: "Pairing failed",
  pairing_rate_limited: "Too many wrong codes",
  invalid_setup_code: "Check the setup code",
  already_paired: "Already added",
  robot_busy: "The robot is busy",
  robot_fault: "The robot needs attention",
  timeout: "The robot did not answer",
  identity_changed: "The robot's identity changed",
  robot_not_paired: "The robot forgot this hub",
  unsupported_capability: "Not supported by this robot",
  unauthorized: "Please sign in",
  forbidden: "Not allowed",
};

type Kind = keyof typeof TITLES;

const kindOf = (code: string): Kind | null =>
  Object.hasOwn(HUB_ERRORS, code) ? (HUB_ERRORS[code as keyof typeof HUB_ERRORS].kind as Kind) : null;

export function describeError(err: unknown): ErrorText {
  if (err instanceof ApiError) {
    const kind = kindOf(err.code) ?? (err.status >= 500 ? "hub" : err.status === 0 ? "robot" : "caller");
    const title = SPECIFIC_TITLES[err.code] ?? TITLES[kind];
    let message = err.message;
    // Schema validation messages name JSON paths; say what to do instead and keep the path as a hint.
    if (err.code === "invalid_request" && /^(body|querystring|params)\b/.test(message)) {
      message = `The hub did not accept the values sent (${message}). Check the form and try again.`;
    }
    return { title, message, code: err.code };
  }
  const message = err instanceof Error && err.message ? err.message : "An unexpected error happened.";
  return { title: TITLES.hub, message, code: "client_error" };
}
