/** Pure formatting of robot data for people: labels, units, times. Unit-tested (test/web/data/format.test.ts). */
import type { ConnectionState as RobotConnection, RobotView } from "../../../hub/core/robot-view.ts";
import type {
  CleanMode,
  ConsumableId,
  FanSpeed,
  RobotStatus,
  WaterLevel,
} from "../../../integrations/sweep/protocol/robot-state.ts";

export const STATUS_LABELS: Record<RobotStatus, string> = {
  docked: "Docked",
  charging: "Charging",
  idle: "Idle",
  cleaning: "Cleaning",
  paused: "Paused",
  returning: "Returning to dock",
  moving: "Moving",
  error: "Needs attention",
};

export const CONNECTION_LABELS: Record<RobotConnection, string> = {
  online: "Online",
  connecting: "Connecting…",
  offline: "Offline",
  identity_changed: "Identity changed",
  not_paired: "Not paired any more",
};

export const FAN_LABELS: Record<FanSpeed, string> = {
  off: "Off",
  quiet: "Quiet",
  standard: "Standard",
  strong: "Strong",
  max: "Max",
};

export const WATER_LABELS: Record<WaterLevel, string> = {
  off: "Off",
  low: "Low",
  medium: "Medium",
  high: "High",
};

export const MODE_LABELS: Record<CleanMode, string> = {
  vacuum: "Vacuum",
  mop: "Mop",
  vacuum_and_mop: "Vacuum and mop",
};

export const CONSUMABLE_LABELS: Record<ConsumableId, string> = {
  main_brush: "Main brush",
  side_brush: "Side brush",
  filter: "Filter",
  mop_pad: "Mop pad",
  sensors: "Sensors",
};

export const JOB_LABELS: Record<string, string> = {
  full: "Full clean",
  rooms: "Room clean",
  zones: "Zone clean",
  goto: "Go to point",
  mapping: "Mapping run",
};

export const RESULT_LABELS: Record<string, string> = {
  completed: "Completed",
  stopped: "Stopped",
  aborted: "Aborted",
  failed: "Failed",
  interrupted: "Interrupted",
};

/** A label from one of the tables above; unknown values (a newer robot) show as they are. */
export const labelOf = (table: Readonly<Record<string, string>>, key: string | null | undefined): string =>
  key == null ? "–" : (table[key] ?? key);

export type Tone = "ok" | "warn" | "danger" | "neutral" | "active";

/** What a card shows as the robot's headline: connection problems first, then faults, then its status. */
export function robotHeadline(robot: RobotView): { label: string; tone: Tone } {
  if (robot.connection !== "online") {
    return {
      label: CONNECTION_LABELS[robot.connection],
      tone: robot.connection === "connecting" ? "neutral" : "danger",
    };
  }
  const s = robot.state;
  if (!s) return { label: "Waiting for state…", tone: "neutral" };
  if (s.error) return { label: STATUS_LABELS.error, tone: "danger" };
  // A mapping pass drives with the vacuum off (status "moving"): say what it is doing.
  if (s.job?.kind === "mapping" && s.status === "moving") return { label: "Mapping", tone: "active" };
  if (s.job?.kind === "mapping" && s.status === "paused") return { label: "Mapping paused", tone: "warn" };
  const tone: Tone =
    s.status === "cleaning" || s.status === "moving" || s.status === "returning"
      ? "active"
      : s.status === "paused"
        ? "warn"
        : s.status === "error"
          ? "danger"
          : "ok";
  return { label: labelOf(STATUS_LABELS, s.status), tone };
}

/** The area a run cleaned, or null for a mapping run (the vacuum was off: "0 m²" would read as a failed clean). */
export function runAreaLabel(
  run: { kind: string; areaM2: number | null },
  units: "metric" | "imperial" = "metric",
): string | null {
  return run.kind === "mapping" ? null : areaLabel(run.areaM2, units);
}

export function batteryLabel(percent: number, charging: boolean): string {
  return `${Math.round(percent)} %${charging ? ", charging" : ""}`;
}

/** An area in the user's units (preferences.units): m², or ft² for imperial. */
export function areaLabel(m2: number | null | undefined, units: "metric" | "imperial" = "metric"): string {
  if (m2 === null || m2 === undefined) return "–";
  if (units === "imperial") return `${Math.round(m2 * 10.7639)} ft²`;
  return `${m2 < 10 ? m2.toFixed(1) : Math.round(m2)} m²`;
}

export function durationLabel(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "–";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  // Beyond ten hours, minutes are noise (consumable lifetimes).
  return h >= 10 || m % 60 === 0 ? `${Math.round(m / 60)} h` : `${h} h ${m % 60} min`;
}

/** "just now", "5 min ago", "yesterday", or a date, relative to `now`. */
export function relativeTime(at: number, now: number = Date.now()): string {
  const s = Math.round((now - at) / 1000);
  if (s < 45) return "just now";
  if (s < 3600) return `${Math.max(1, Math.round(s / 60))} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  if (s < 2 * 86_400) return "yesterday";
  return new Date(at).toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
}

/** Which quick actions make sense now: the primary one (start/pause/resume) and whether docking helps. */
export function quickActions(robot: RobotView): {
  primary: { command: "start" | "pause" | "resume"; label: string } | null;
  canDock: boolean;
  canStop: boolean;
} {
  const s = robot.state;
  if (robot.connection !== "online" || !s || !robot.capabilities.basic_control) {
    return { primary: null, canDock: false, canStop: false };
  }
  const busy = s.status === "cleaning" || s.status === "moving" || s.status === "returning";
  const primary =
    s.status === "cleaning" || s.status === "moving"
      ? { command: "pause" as const, label: "Pause" }
      : s.status === "paused"
        ? { command: "resume" as const, label: "Resume" }
        : { command: "start" as const, label: "Start" };
  return {
    primary,
    canDock: !s.docked && s.status !== "returning",
    canStop: busy || s.status === "paused",
  };
}

/** A browser's user agent in a few words ("Chrome on Linux"). */
export function describeAgent(ua: string): string {
  const browser = /Edg\//.test(ua)
    ? "Edge"
    : /Firefox\//.test(ua)
      ? "Firefox"
      : /Chrome\//.test(ua)
        ? "Chrome"
        : /Safari\//.test(ua)
          ? "Safari"
          : ua
            ? ua.split(/[ /]/)[0]
            : "Unknown browser";
  const os = /Android/.test(ua)
    ? "Android"
    : /iPhone|iPad/.test(ua)
      ? "iOS"
      : /Mac OS X/.test(ua)
        ? "macOS"
        : /Windows/.test(ua)
          ? "Windows"
          : /Linux/.test(ua)
            ? "Linux"
            : "";
  return os ? `${browser} on ${os}` : (browser ?? "Unknown browser");
}

const AUDIT_ACTIONS: Record<string, string> = {
  "access.denied": "Was refused access",
  "auth.login": "Signed in",
  "auth.logout": "Signed out",
  "auth.onboarding": "Created the hub's owner account",
  "grant.changed": "Changed someone's access to a robot",
  "invitation.accepted": "Accepted an invitation",
  "invitation.created": "Invited someone",
  "invitation.revoked": "Revoked an invitation",
  "robot.command": "Sent a command",
  "session.revoked": "Signed out a session",
  "token.created": "Created an API token",
  "token.revoked": "Revoked an API token",
  "token.used": "Used an API token",
  "user.deleted": "Deleted an account",
  "user.ownership_transferred": "Transferred ownership",
  "user.password_changed": "Changed the password",
  "user.profile_updated": "Updated the profile",
  "user.role_changed": "Changed someone's role",
  "map.read": "Looked at a map",
  "history.read": "Looked at cleaning history",
};

/** An audit action in words; commands name themselves ("Sent a command: start"). */
export function auditActionLabel(action: string, details: Record<string, unknown> = {}): string {
  const base = AUDIT_ACTIONS[action] ?? action.replace(/[._]/g, " ");
  const command = typeof details.command === "string" ? details.command : null;
  return command ? `${base}: ${command.replace(/_/g, " ")}` : base;
}
