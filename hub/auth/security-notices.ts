/**
 * Notices for users (docs/architecture.md "Notifications"). Security notices (the local equivalent of a vendor's
 * incident notification: a sign-in from a new address, repeated failed sign-ins, a robot whose identity changed)
 * and robot notifications (raised by RobotNotifications) wait in SQLite until the user dismisses them; every
 * stored one is announced on the bus so open dashboards show it at once.
 */
import type { EventBus } from "../core/event-bus.ts";
import type { Logger } from "../logging.ts";
import { isAdmin } from "./actor.ts";
import type { GrantRepository } from "./grant-repository.ts";
import type { NoticeDedup, NoticeKind, NoticeRepository, RobotNoticeKind } from "./notice-repository.ts";
import type { Preferences, UserRecord, UserRepository } from "./user-repository.ts";

/** The profile preference ("Tell me when") that turns each robot notification on. */
const PREFERENCE_OF: Record<RobotNoticeKind, keyof Preferences["notifications"]> = {
  cleaning_finished: "cleaningFinished",
  robot_attention: "robotErrors",
  consumable_due: "consumables",
};

/** Each user reads the message in their own units, so a message may be built per user. */
export type NoticeMessage = string | ((user: UserRecord) => string);

const wants = (u: UserRecord, kind: NoticeKind): boolean =>
  !Object.hasOwn(PREFERENCE_OF, kind) ||
  u.preferences.notifications[PREFERENCE_OF[kind as RobotNoticeKind]] !== false;

export interface SecurityNoticesOptions {
  notices: NoticeRepository;
  users: UserRepository;
  grants: GrantRepository;
  bus: EventBus;
  log: Logger;
  now?: () => number;
}

export class SecurityNotices {
  readonly #opts: SecurityNoticesOptions;
  readonly #owner = {};

  constructor(options: SecurityNoticesOptions) {
    this.#opts = options;
  }

  start(): void {
    this.#opts.bus.on("robotUpdated", this.#owner, ({ robot }) => {
      if (robot.connection !== "identity_changed") return;
      this.raiseForRobot(
        robot.id,
        "robot_identity_changed",
        `The robot "${robot.name}" presented a different identity (it was reset, or another device answers at ` +
          "its address). The hub refuses it until it is paired again.",
        { robotName: robot.name, host: robot.address.host },
      );
    });
  }

  stop(): void {
    this.#opts.bus.removeAll(this.#owner);
  }

  raise(
    userId: string,
    kind: NoticeKind,
    message: string,
    details: Record<string, unknown> = {},
    robotId: string | null = null,
    dedup?: NoticeDedup,
  ): void {
    try {
      const notice = this.#opts.notices.add(
        { userId, kind, message, details, robotId, createdAt: (this.#opts.now ?? Date.now)() },
        dedup,
      );
      if (!notice) return;
      this.#opts.log.info({ userId, kind, robotId }, "notice raised");
      this.#opts.bus.emit("noticeRaised", { notice });
    } catch (err) {
      this.#opts.log.error({ err, kind }, "could not store notice");
    }
  }

  /**
   * Everyone who can see the robot: owner, admins, and members with a view grant; robot notifications only
   * to those whose profile asks for that kind (security notices always).
   */
  raiseForRobot(
    robotId: string,
    kind: NoticeKind,
    message: NoticeMessage,
    details: Record<string, unknown>,
    dedup?: NoticeDedup,
  ): void {
    const viewers = new Set(
      this.#opts.grants
        .ofRobot(robotId)
        .filter((g) => g.view)
        .map((g) => g.userId),
    );
    for (const u of this.#opts.users.list()) {
      if ((isAdmin(u.role) || viewers.has(u.id)) && wants(u, kind))
        this.raise(u.id, kind, typeof message === "function" ? message(u) : message, details, robotId, dedup);
    }
  }
}
