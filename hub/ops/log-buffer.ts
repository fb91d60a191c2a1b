/**
 * The most recent log lines, kept in memory for the owners' log viewer (GET /api/system/logs). It is a pino
 * destination beside stdout, so it receives exactly what the log receives: JSON lines already redacted by the
 * logger (see logging.ts). Lines are parsed only when someone reads them.
 */
export const LOG_LEVEL_NUMBERS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;
export type LogLevelName = keyof typeof LOG_LEVEL_NUMBERS;

/** A line longer than this is cut (a runaway error dump must not pin megabytes). */
const MAX_LINE_CHARS = 16 * 1024;

export interface LogEntry {
  seq: number;
  time: number;
  level: LogLevelName;
  service: string | null;
  msg: string;
  /** Every other field of the line (robotId, err, ...). */
  fields: Record<string, unknown>;
}

export interface LogQuery {
  /** Only lines after this sequence number (for polling). */
  after?: number;
  /** Least severe level returned. */
  level?: LogLevelName;
  service?: string;
  limit: number;
}

export class LogBuffer {
  readonly #capacity: number;
  readonly #lines: string[] = [];
  #seq = 0;

  constructor(capacity = 2000) {
    this.#capacity = capacity;
  }

  /** pino's DestinationStream. */
  write(line: string): void {
    this.#lines.push(line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line);
    this.#seq++;
    if (this.#lines.length > this.#capacity) this.#lines.shift();
  }

  /** Sequence number of the newest line (0 before the first). */
  get lastSeq(): number {
    return this.#seq;
  }

  /** Matching lines, oldest first, at most `limit` of the newest. */
  query(q: LogQuery): LogEntry[] {
    const firstSeq = this.#seq - this.#lines.length + 1;
    const minLevel = q.level ? LOG_LEVEL_NUMBERS[q.level] : 0;
    const out: LogEntry[] = [];
    for (let i = this.#lines.length - 1; i >= 0 && out.length < q.limit; i--) {
      const seq = firstSeq + i;
      if (q.after !== undefined && seq <= q.after) break;
      const entry = parse(seq, this.#lines[i]);
      if (LOG_LEVEL_NUMBERS[entry.level] < minLevel) continue;
      if (q.service !== undefined && entry.service !== q.service) continue;
      out.push(entry);
    }
    return out.reverse();
  }
}

function parse(seq: number, line: string): LogEntry {
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { seq, time: 0, level: "info", service: null, msg: line.trim(), fields: {} };
  }
  const { level, time, msg, service, pid: _pid, hostname: _hostname, ...fields } = obj;
  const name = (Object.entries(LOG_LEVEL_NUMBERS).find(([, n]) => n === level)?.[0] ??
    "info") as LogLevelName;
  return {
    seq,
    time: typeof time === "number" ? time : 0,
    level: name,
    service: typeof service === "string" ? service : null,
    msg: typeof msg === "string" ? msg : "",
    fields,
  };
}
