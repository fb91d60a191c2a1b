/**
 * matter.js writes its own log; this routes it into the hub's pino log (service "matter") at a level one step
 * quieter than the hub's, and scrubs setup secrets from every line. matter.js logs the passcode and pairing
 * codes of an uncommissioned node by design (CommissioningServer.initiateCommissioning); a hub must not
 * (STYLE.md: no secrets in logs), so those lines are dropped and any secret elsewhere is masked.
 */
import { LogFormat, Logger, LogLevel } from "@matter/main";
import type { Logger as HubLogger } from "../logging.ts";

type PinoLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal";

const TO_PINO: Record<number, PinoLevel> = {
  [LogLevel.DEBUG]: "trace",
  [LogLevel.INFO]: "debug",
  [LogLevel.NOTICE]: "info",
  [LogLevel.WARN]: "warn",
  [LogLevel.ERROR]: "error",
  [LogLevel.FATAL]: "fatal",
};

/** The least severe matter.js level forwarded for a hub log level: matter.js info is chatty, so one step quieter. */
function matterLevelFor(hubLevel: string): LogLevel {
  if (hubLevel === "trace") return LogLevel.DEBUG;
  if (hubLevel === "debug") return LogLevel.INFO;
  return LogLevel.WARN;
}

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 6) out = out.split(s).join("[redacted]");
  // Manual pairing codes are also printed with dashes (1234-567-8901).
  return out.replace(/\b\d{4}-\d{3}-\d{4}\b/g, "[redacted]").replace(/MT:[A-Z0-9.-]{10,}/g, "MT:[redacted]");
}

/** Installs the bridge; returns a function that restores matter.js's console output. */
export function bridgeMatterLogs(log: HubLogger, secrets: () => readonly string[]): () => void {
  const dest = Logger.destinations.default;
  const previous = { write: dest.write, level: dest.level, format: dest.format };
  const matterLog = log.child({ service: "matter" });
  dest.format = LogFormat.formats.plain;
  dest.level = matterLevelFor(log.level);
  // The hub's level can change at runtime (PUT /api/system/log-level): matter.js follows it.
  const follow = (level: string) => {
    dest.level = matterLevelFor(level);
  };
  log.on("level-change", follow);
  dest.write = (text, message) => {
    if (message.facility === "Commissioning" && /uncommissioned/.test(text)) return;
    const level = TO_PINO[message.level] ?? "info";
    matterLog[level]({ facility: message.facility }, redact(text.trimEnd(), secrets()));
  };
  return () => {
    log.off("level-change", follow);
    dest.write = previous.write;
    dest.level = previous.level;
    dest.format = previous.format;
  };
}
