/**
 * Additions to protocol version 1 that add values to existing enums (docs/protocol.md §6.1). A v1 receiver rejects
 * unknown enum values (every payload is validated, §2.3), so a robot uses an extension's values only on
 * connections whose hub enabled it with `extensions.enable`; every other hub gets the nearest v1 equivalent.
 */
import type { EventName, EventPayload } from "./methods.ts";
import type { Job, JobKind, RobotState } from "./robot-state.ts";

/**
 * `mapping_pass`: job kind `mapping` (the robot drives through the floor with the vacuum off). A v1 hub sees it as
 * `goto` with no target: driving without cleaning, which is what it is.
 */
export const EXTENSIONS = ["mapping_pass"] as const;
export type Extension = (typeof EXTENSIONS)[number];

export const isExtension = (name: string): name is Extension =>
  (EXTENSIONS as readonly string[]).includes(name);

// Keys are strings: the static type of a job's kind is widened to string by the schema library.
const V1_JOB_KIND: Readonly<Record<string, JobKind>> = { mapping: "goto" };

const v1Kind = (kind: string): string => V1_JOB_KIND[kind] ?? kind;
const v1Job = (job: Job): Job => (V1_JOB_KIND[job.kind] ? { ...job, kind: v1Kind(job.kind) } : job);

/** The state as a hub without the extensions sees it (the same object when nothing needs changing). */
export function stateFor(state: RobotState, enabled: ReadonlySet<Extension>): RobotState {
  if (enabled.has("mapping_pass") || !state.job || !V1_JOB_KIND[state.job.kind]) return state;
  return { ...state, job: v1Job(state.job) };
}

/** An event payload as a hub without the extensions sees it. */
export function eventFor<E extends EventName>(
  name: E,
  payload: EventPayload<E>,
  enabled: ReadonlySet<Extension>,
): EventPayload<E> {
  if (enabled.has("mapping_pass")) return payload;
  switch (name) {
    case "event.state":
      return stateFor(payload as RobotState, enabled) as EventPayload<E>;
    case "event.cleaning_started": {
      const p = payload as EventPayload<"event.cleaning_started">;
      return { ...p, job: v1Job(p.job) } as EventPayload<E>;
    }
    case "event.cleaning_finished": {
      const p = payload as EventPayload<"event.cleaning_finished">;
      return { ...p, kind: v1Kind(p.kind) } as EventPayload<E>;
    }
    default:
      return payload;
  }
}
