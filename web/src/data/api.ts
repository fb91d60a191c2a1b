/**
 * Typed calls to the hub's HTTP API (docs/api.md). Every failure becomes an ApiError carrying the hub's error
 * code (hub/core/errors.ts), so pages show one consistent, human message (error-text.ts) whatever went wrong.
 */
import type { DiscoveredRobot, RobotView } from "../../../hub/core/robot-view.ts";
import type { CleaningSession } from "../../../hub/store/cleaning-repository.ts";
import type { Consumable, Room } from "../../../integrations/sweep/protocol/robot-state.ts";

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, status: number, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

/** Listeners told when the hub answers 401 (session expired or revoked): the app shows the login page. */
const unauthorizedListeners = new Set<() => void>();
export const onUnauthorized = (listener: () => void): (() => void) => {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
};

/**
 * The CSRF token of the cookie session (docs/api.md §Accounts and access: double submit). The hub sets it in a
 * readable cookie at sign-in; writes echo it in a header, which another site cannot do.
 */
export const CSRF_COOKIE = "sweephub_csrf";
export const CSRF_HEADER = "x-csrf-token";

export function csrfFromCookie(cookie: string): string | null {
  for (const part of cookie.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === CSRF_COOKIE) return decodeURIComponent(v.join("="));
  }
  return null;
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && method !== "HEAD" && typeof document !== "undefined") {
    const token = csrfFromCookie(document.cookie);
    if (token) headers[CSRF_HEADER] = token;
  }
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new ApiError(
      "network",
      0,
      "The hub cannot be reached. Check that it is running and on your network.",
    );
  }
  const text = await res.text();
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string; details?: Record<string, unknown> } })
      ?.error;
    // A wrong password typed to confirm something (transfer, delete, change password) leaves the session valid.
    if (res.status === 401 && err?.code !== "invalid_credentials") for (const l of unauthorizedListeners) l();
    throw new ApiError(
      err?.code ?? `http_${res.status}`,
      res.status,
      err?.message ?? `The hub answered ${res.status} ${res.statusText}`.trim(),
      err?.details,
    );
  }
  return json as T;
}

export type DiscoveredRobotView = DiscoveredRobot;

export type { CleaningSession } from "../../../hub/store/cleaning-repository.ts";

export const robotsApi = {
  list: () => request<{ robots: RobotView[] }>("GET", "/api/robots"),
  get: (id: string) => request<RobotView>("GET", `/api/robots/${encodeURIComponent(id)}`),
  pair: (body: { robotId?: string; host?: string; port?: number; code: string }) =>
    request<RobotView>("POST", "/api/robots/pair", body),
  unpair: (id: string) => request<null>("DELETE", `/api/robots/${encodeURIComponent(id)}`),
  rooms: (id: string) =>
    request<{ floor: string; rooms: Room[] }>("GET", `/api/robots/${encodeURIComponent(id)}/rooms`),
  consumables: (id: string) =>
    request<{ consumables: Consumable[] }>("GET", `/api/robots/${encodeURIComponent(id)}/consumables`),
  history: (id: string, limit = 20) =>
    request<{ sessions: CleaningSession[] }>(
      "GET",
      `/api/robots/${encodeURIComponent(id)}/history?limit=${limit}`,
    ),
  command: (id: string, name: string, body: Record<string, unknown> = {}) =>
    request<{ robot: RobotView }>(
      "POST",
      `/api/robots/${encodeURIComponent(id)}/commands/${encodeURIComponent(name)}`,
      body,
    ),
};

export const discoveryApi = {
  list: () => request<{ enabled: boolean; robots: DiscoveredRobotView[] }>("GET", "/api/discovery"),
  scan: () => request<{ scanning: boolean }>("POST", "/api/discovery/scan"),
};
