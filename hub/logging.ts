/**
 * The hub's root logger: pino, JSON lines by default, human-readable when stdout is a terminal.
 * Services take a child logger (`childLogger(log, "discovery")`) so every line says who wrote it.
 *
 * Secrets (setup codes, PAKE values, private keys, tokens) are redacted by key name at any depth we
 * can express, because log lines outlive the data they describe and get pasted into bug reports.
 * Redaction cannot reach inside message strings: never interpolate a secret into a message.
 */
import { Writable } from "node:stream";
import pino from "pino";
import pretty from "pino-pretty";
import type { LogLevel } from "./config/schema.ts";

export type Logger = pino.Logger;

/** Keys whose values never reach the log, wherever they appear (up to REDACT_DEPTH levels deep). */
export const REDACTED_KEYS = [
  "code",
  "setupCode",
  "password",
  "passcode",
  "token",
  "secret",
  "keyPem",
  "privateKey",
  "privateKeyPem",
  "authorization",
  "cookie",
  // SPAKE2+ pairing values (see PAIRING-NOTES): knowing them is as good as knowing the code.
  "cA",
  "cB",
  "pA",
  "pB",
] as const;

const REDACT_DEPTH = 4;
export const REDACT_CENSOR = "[redacted]";

/** `key`, `*.key`, `*.*.key`, ... for each secret key, plus the HTTP headers that carry credentials. */
export function redactPaths(): string[] {
  const paths: string[] = [];
  for (let depth = 0; depth < REDACT_DEPTH; depth++) {
    for (const key of REDACTED_KEYS) paths.push(`${"*.".repeat(depth)}${key}`);
  }
  paths.push("req.headers.cookie", "req.headers.authorization", 'res.headers["set-cookie"]');
  return paths;
}

export interface LoggerOptions {
  level: LogLevel;
  /** Human-readable output; defaults to true when stdout is a terminal. */
  pretty?: boolean;
  /** Where lines go; defaults to stdout. */
  destination?: pino.DestinationStream;
  /** Name on every line of the root logger. */
  name?: string;
  /**
   * A second destination that receives every JSON line (redacted) whatever the first one does with it; the
   * log viewer's ring buffer (hub/ops/log-buffer.ts).
   */
  tee?: pino.DestinationStream;
}

export function createLogger(opts: LoggerOptions): Logger {
  const options: pino.LoggerOptions = {
    level: opts.level,
    redact: { paths: redactPaths(), censor: REDACT_CENSOR },
    ...(opts.name ? { name: opts.name } : {}),
  };
  const usePretty = opts.pretty ?? (opts.destination === undefined && process.stdout.isTTY === true);
  // A stream in this thread rather than a worker transport: simpler, and log order matches stdout.
  const main: pino.DestinationStream = usePretty
    ? pretty({
        colorize: opts.destination === undefined && process.stdout.isTTY === true,
        translateTime: "SYS:HH:MM:ss.l",
        ignore: "pid,hostname",
        destination: opts.destination ? asWritable(opts.destination) : 1,
        sync: true,
      })
    : (opts.destination ?? pino.destination({ dest: 1, sync: true }));
  if (!opts.tee) return pino(options, main);
  // Each stream at "trace": the logger's own level (changeable at runtime) is the only filter.
  return pino(
    options,
    pino.multistream([
      { level: "trace", stream: main },
      { level: "trace", stream: opts.tee },
    ]),
  );
}

/** The logger a service gets: every line carries `service`. */
export function childLogger(parent: Logger, service: string, bindings: Record<string, unknown> = {}): Logger {
  return parent.child({ service, ...bindings });
}

/** pino-pretty wants a full stream; pino only needs `write`. */
function asWritable(dest: pino.DestinationStream): NodeJS.WritableStream {
  if (dest instanceof Writable) return dest;
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      dest.write(chunk.toString());
      done();
    },
  });
}
