/**
 * Robot notifications (docs/architecture.md "Notifications"): turns what robots report on the bus into notices
 * for the users who can see the robot and asked for that kind in their profile ("Tell me when"). The notices
 * themselves (storage, dismissal, live delivery) are the security notices' machinery (hub/auth/security-notices.ts).
 */
import type { CleaningFinished, EventPayload } from "../../integrations/sweep/protocol/methods.ts";
import { areaLabel, CONSUMABLE_LABELS, durationLabel, labelOf } from "../../web/src/data/format.ts";
import type { NoticeDedup, RobotNoticeKind } from "../auth/notice-repository.ts";
import type { NoticeMessage } from "../auth/security-notices.ts";
import type { UserRecord } from "../auth/user-repository.ts";
import type { EventBus } from "../core/event-bus.ts";
import type { RobotView } from "../core/robot-view.ts";
import type { Logger } from "../logging.ts";
import type { RobotManager } from "../robots/robot-manager.ts";

/**
 * A part is due when its remaining life drops below this: the point where the dashboard's wear meter turns to
 * "low" (web/src/components/sh-consumables.ts), so the notice and the meter agree.
 */
export const CONSUMABLE_DUE_PERCENT = 15;

export interface RobotNoticeRaiser {
  raiseForRobot(
    robotId: string,
    kind: RobotNoticeKind,
    message: NoticeMessage,
    details: Record<string, unknown>,
    dedup?: NoticeDedup,
  ): void;
}

export interface RobotNotificationsOptions {
  bus: EventBus;
  notices: RobotNoticeRaiser;
  robots: () => RobotManager;
  /**
   * The rooms the hub keeps for a robot, with the names the dashboard shows (MapService.rooms); absent in a hub
   * without maps. Rooms it does not know are asked of the robot.
   */
  rooms?: () => ((robotId: string) => readonly { id: string; name: string }[]) | null;
  log: Logger;
}

export class RobotNotifications {
  readonly #o: RobotNotificationsOptions;
  readonly #owner = {};
  /** The fault each robot last reported while online: a reconnect with the same fault is not news. */
  readonly #faults = new Map<string, string | null>();
  /** Remaining percent per robot and part, to notice the crossing rather than every later update. */
  readonly #wear = new Map<string, number>();
  /** Robots seen online since their last disconnect (their wear is read once when they come online). */
  readonly #online = new Set<string>();

  constructor(options: RobotNotificationsOptions) {
    this.#o = options;
  }

  start(): void {
    // What the hub knew before it started (the state saved with each robot) is not news either.
    for (const robot of this.#o.robots().list()) this.#faults.set(robot.id, robot.state?.error?.code ?? null);
    this.#o.bus.on("robotUpdated", this.#owner, ({ robot }) => this.#onUpdated(robot));
    this.#o.bus.on("robotRemoved", this.#owner, ({ robotId }) => {
      this.#faults.delete(robotId);
      this.#online.delete(robotId);
      for (const key of this.#wear.keys()) if (key.startsWith(`${robotId}/`)) this.#wear.delete(key);
    });
    this.#o.bus.on("robotEvent", this.#owner, ({ robotId, name, payload }) => {
      if (name === "event.cleaning_finished") void this.#onFinished(robotId, payload as CleaningFinished);
      else if (name === "event.consumables")
        this.#onConsumables(robotId, payload as EventPayload<"event.consumables">);
    });
  }

  stop(): void {
    this.#o.bus.removeAll(this.#owner);
    this.#faults.clear();
    this.#wear.clear();
    this.#online.clear();
  }

  #onUpdated(robot: RobotView): void {
    // Offline robots keep their last state; only what an online robot says counts.
    if (robot.connection !== "online") {
      this.#online.delete(robot.id);
      return;
    }
    if (!this.#online.has(robot.id)) {
      this.#online.add(robot.id);
      void this.#readWear(robot);
    }
    if (!robot.state) return;
    const error = robot.state.error;
    const before = this.#faults.get(robot.id);
    this.#faults.set(robot.id, error?.code ?? null);
    if (!error || error.code === before) return;
    this.#o.notices.raiseForRobot(
      robot.id,
      "robot_attention",
      `${robot.name} needs attention: ${error.message}`,
      { robotName: robot.name, code: error.code },
      // One open notice per fault: a robot stuck again before the user looked is still one thing to do.
      { key: error.code, scope: "open" },
    );
  }

  async #onFinished(robotId: string, f: CleaningFinished): Promise<void> {
    if (f.kind === "goto") return;
    try {
      const robots = this.#o.robots();
      const robot = robots.get(robotId);
      const where = f.kind === "rooms" ? await this.#roomNames(robotId, f.rooms) : null;
      const message = (u: UserRecord) => finishedMessage(robot.name, f, where, u.preferences.units);
      this.#o.notices.raiseForRobot(
        robotId,
        "cleaning_finished",
        message,
        { robotName: robot.name, jobId: f.jobId, result: f.result, areaM2: f.areaM2, durationS: f.durationS },
        { key: f.jobId, scope: "once" },
      );
    } catch (err) {
      this.#o.log.warn({ err, robotId }, "could not raise a cleaning notification");
    }
  }

  /**
   * Room names for the message, as the dashboard shows them: the hub's own map first; the robot is asked only for
   * rooms the hub has no map of; ids stand in when it cannot be asked (it went offline meanwhile).
   */
  async #roomNames(robotId: string, rooms: CleaningFinished["rooms"]): Promise<string[]> {
    const ids = [...new Set(rooms.map((r) => r.id))];
    const names = new Map<string, string>();
    for (const room of this.#o.rooms?.()?.(robotId) ?? []) names.set(room.id, room.name);
    if (ids.some((id) => !names.has(id))) {
      try {
        const listed = await this.#o.robots().query(robotId, "rooms.list");
        for (const room of listed.rooms) if (!names.has(room.id)) names.set(room.id, room.name);
      } catch {
        // Ids stand in.
      }
    }
    return ids.map((id) => names.get(id) || id);
  }

  /**
   * Where each part stands when the robot comes online, so the first wear report of a run can already be a
   * crossing. Parts already below the mark stay quiet: they may have been notified before the hub restarted.
   */
  async #readWear(robot: RobotView): Promise<void> {
    if (!robot.capabilities.consumables) return;
    try {
      const { consumables } = await this.#o.robots().query(robot.id, "consumables.get");
      for (const c of consumables) {
        const key = `${robot.id}/${c.id}`;
        if (!this.#wear.has(key)) this.#wear.set(key, c.remainingPercent);
      }
    } catch (err) {
      this.#o.log.debug({ err, robotId: robot.id }, "could not read consumables");
    }
  }

  #onConsumables(robotId: string, { consumables }: EventPayload<"event.consumables">): void {
    for (const c of consumables) {
      const key = `${robotId}/${c.id}`;
      const before = this.#wear.get(key);
      this.#wear.set(key, c.remainingPercent);
      // Without a reading since the start, this report is where things stand, not a crossing.
      if (
        before === undefined ||
        before < CONSUMABLE_DUE_PERCENT ||
        c.remainingPercent >= CONSUMABLE_DUE_PERCENT
      )
        continue;
      const robot = this.#o.robots().get(robotId);
      const part = labelOf(CONSUMABLE_LABELS, c.id).toLowerCase();
      const message =
        c.id === "sensors"
          ? `${robot.name}'s sensors are due for cleaning (${c.remainingPercent} % left). Wipe them, then reset the counter.`
          : `${robot.name}'s ${part} is nearly worn out (${c.remainingPercent} % left). Replace it soon, then reset the counter.`;
      this.#o.notices.raiseForRobot(
        robotId,
        "consumable_due",
        message,
        { robotName: robot.name, consumable: c.id, remainingPercent: c.remainingPercent },
        { key: c.id, scope: "open" },
      );
    }
  }
}

/** "Rosie finished cleaning Kitchen and Hall: 12 m² in 14 min." */
export function finishedMessage(
  name: string,
  f: Pick<CleaningFinished, "kind" | "result" | "areaM2" | "durationS">,
  rooms: string[] | null,
  units: "metric" | "imperial",
): string {
  const figures = `${areaLabel(f.areaM2, units)} in ${durationLabel(f.durationS)}`;
  if (f.kind === "mapping")
    return f.result === "completed"
      ? `${name} finished mapping in ${durationLabel(f.durationS)}.`
      : `${name} stopped mapping after ${durationLabel(f.durationS)}.`;
  const what = rooms?.length
    ? `cleaning ${listOf(rooms)}`
    : f.kind === "zones"
      ? "cleaning the zones"
      : "cleaning";
  switch (f.result) {
    case "completed":
      return `${name} finished ${what}: ${figures}.`;
    case "stopped":
      return `${name} stopped ${what} before the end: ${figures}.`;
    default:
      return `${name} could not finish ${what} because of a problem: ${figures}.`;
  }
}

const listOf = (items: string[]): string =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
