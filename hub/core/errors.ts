/**
 * The hub's error registry (STYLE.md principle 4): every error the HTTP and WebSocket APIs return has a stable
 * code, an HTTP status and a message a person understands. `kind` tells who is at fault: the caller (fix the
 * request), the robot (it refused or is unavailable), or the hub itself (a bug: report it).
 */
export const HUB_ERRORS = {
  invalid_request: { status: 400, kind: "caller", message: "The request is invalid" },
  invalid_arguments: { status: 400, kind: "caller", message: "The command's arguments are invalid" },
  not_found: { status: 404, kind: "caller", message: "Not found" },
  robot_not_found: { status: 404, kind: "caller", message: "No paired robot has this id" },
  discovered_robot_not_found: {
    status: 404,
    kind: "caller",
    message: "No robot with this id has been discovered on the network; give its address instead",
  },
  unknown_command: { status: 404, kind: "caller", message: "Unknown command" },
  already_paired: { status: 409, kind: "caller", message: "This robot is already paired with the hub" },
  invalid_setup_code: { status: 400, kind: "caller", message: "The setup code must be 8 digits" },
  payload_too_large: { status: 413, kind: "caller", message: "The request body is too large" },
  unsupported_media_type: {
    status: 415,
    kind: "caller",
    message: "Send JSON (Content-Type: application/json)",
  },
  pairing_failed: {
    status: 400,
    kind: "caller",
    message: "Pairing failed: the setup code is wrong, or something between the hub and the robot interfered",
  },
  pairing_rate_limited: {
    status: 429,
    kind: "robot",
    message: "The robot refuses pairing attempts for a while after several wrong codes; wait and try again",
  },
  robot_offline: {
    status: 503,
    kind: "robot",
    message: "The robot is offline; check that it is powered and on the network",
  },
  robot_unreachable: { status: 502, kind: "robot", message: "The robot could not be reached at its address" },
  identity_changed: {
    status: 409,
    kind: "robot",
    message:
      "The robot's identity changed (it was reset, or another device answers at its address); pair it again",
  },
  robot_not_paired: {
    status: 409,
    kind: "robot",
    message: "The robot no longer recognises this hub (it was reset or unpaired elsewhere); pair it again",
  },
  unsupported_capability: { status: 422, kind: "robot", message: "The robot does not support this feature" },
  robot_busy: { status: 409, kind: "robot", message: "The robot cannot do that in its current state" },
  robot_fault: { status: 409, kind: "robot", message: "The robot has a fault that must be cleared first" },
  robot_error: { status: 502, kind: "robot", message: "The robot answered with an error" },
  timeout: { status: 504, kind: "robot", message: "The robot did not answer in time" },
  // Accounts and access (docs/api.md "Accounts and access").
  unauthorized: { status: 401, kind: "caller", message: "Sign in first (session cookie or API token)" },
  invalid_credentials: { status: 401, kind: "caller", message: "The user name or password is wrong" },
  forbidden: { status: 403, kind: "caller", message: "Your account is not allowed to do this" },
  robot_access_denied: {
    status: 403,
    kind: "caller",
    message: "You have not been given this kind of access to this robot; ask the hub's owner",
  },
  token_scope: { status: 403, kind: "caller", message: "This API token's scopes do not allow this request" },
  csrf_failed: {
    status: 403,
    kind: "caller",
    message: "Cross-site request refused: send the X-CSRF-Token header from the same origin",
  },
  onboarding_required: {
    status: 403,
    kind: "caller",
    message: "The hub has no owner yet: create the owner account first (onboarding)",
  },
  onboarding_code_required: {
    status: 403,
    kind: "caller",
    message:
      "Onboarding from another computer needs the onboarding code from the file named in the hub's log",
  },
  already_onboarded: { status: 409, kind: "caller", message: "The hub already has an owner" },
  too_many_attempts: {
    status: 429,
    kind: "caller",
    message: "Too many failed attempts; wait a while before trying again",
  },
  weak_password: { status: 400, kind: "caller", message: "The password does not meet the password policy" },
  username_taken: { status: 409, kind: "caller", message: "This user name is already taken" },
  user_not_found: { status: 404, kind: "caller", message: "No user has this id" },
  session_not_found: { status: 404, kind: "caller", message: "No session of yours has this id" },
  token_not_found: { status: 404, kind: "caller", message: "No API token of yours has this id" },
  invitation_not_found: { status: 404, kind: "caller", message: "No invitation has this id" },
  invitation_invalid: {
    status: 410,
    kind: "caller",
    message: "This invitation code is wrong, has expired or was already used; ask for a new one",
  },
  notice_not_found: { status: 404, kind: "caller", message: "No notification of yours has this id" },
  owner_must_transfer: {
    status: 409,
    kind: "caller",
    message: "The owner must transfer ownership to another user before deleting their account",
  },
  owner_protected: {
    status: 403,
    kind: "caller",
    message: "The owner's role and account can only be changed by the owner (transfer ownership)",
  },
  // Matter (docs/api.md "Matter").
  matter_disabled: {
    status: 409,
    kind: "caller",
    message: "Matter is switched off in the hub's configuration (matter.enabled)",
  },
  matter_unavailable: {
    status: 503,
    kind: "hub",
    message: "Matter is not running yet, or failed to start; see GET /api/matter",
  },
  matter_busy: {
    status: 409,
    kind: "caller",
    message: "A Matter controller is being added right now; try again in a minute",
  },
  matter_fabric_not_found: {
    status: 404,
    kind: "caller",
    message: "This robot is not shared with a Matter controller of that fabric index",
  },
  // Maps (docs/api.md "Maps").
  map_not_found: {
    status: 404,
    kind: "caller",
    message: "The hub has no map of this floor yet; it arrives once the robot is online",
  },
  room_not_found: { status: 404, kind: "caller", message: "The map has no room with this id" },
  restriction_not_found: { status: 404, kind: "caller", message: "The map has no restriction with this id" },
  room_order_mismatch: {
    status: 409,
    kind: "caller",
    message: "The new order must list every room of the floor once; the map has changed, so load it again",
  },
  map_frame_invalid: {
    status: 502,
    kind: "robot",
    message: "The robot sent a map the hub could not read; the last good map is kept",
  },
  internal: { status: 500, kind: "hub", message: "Internal error in the hub; please report it" },
} as const satisfies Record<string, { status: number; kind: "caller" | "robot" | "hub"; message: string }>;

export type HubErrorCode = keyof typeof HUB_ERRORS;

export class HubError extends Error {
  readonly code: HubErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: HubErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message ?? HUB_ERRORS[code].message);
    this.name = "HubError";
    this.code = code;
    this.status = HUB_ERRORS[code].status;
    this.details = details;
  }

  toJSON(): { error: { code: HubErrorCode; message: string; details?: Record<string, unknown> } } {
    return {
      error: this.details
        ? { code: this.code, message: this.message, details: this.details }
        : { code: this.code, message: this.message },
    };
  }
}
