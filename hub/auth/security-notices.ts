/**
 * Security notices (the local equivalent of a vendor's incident notification): a sign-in from a new address,
 * repeated failed sign-ins, or a robot whose identity changed. They wait in SQLite until the affected user
 * dismisses them; the dashboard shows undismissed ones on the next visit.
 */
import type { EventBus } from "../core/event-bus.ts";
import type { Logger } from "../logging.ts";
import { isAdmin } from "./actor.ts";
import type { GrantRepository } from "./grant-repository.ts";
import type { NoticeKind, NoticeRepository } from "./notice-repository.ts";
import type { UserRepository } from "./user-repository.ts";

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
  ): void {
    try {
      const added = this.#opts.notices.add({
        userId,
        kind,
        message,
        details,
        robotId,
        createdAt: (this.#opts.now ?? Date.now)(),
      });
      if (added) this.#opts.log.info({ userId, kind, robotId }, "security notice raised");
    } catch (err) {
      this.#opts.log.error({ err, kind }, "could not store security notice");
    }
  }

  /** Everyone who can see the robot: owner, admins, and members with a grant. */
  raiseForRobot(robotId: string, kind: NoticeKind, message: string, details: Record<string, unknown>): void {
    const granted = new Set(this.#opts.grants.ofRobot(robotId).map((g) => g.userId));
    for (const u of this.#opts.users.list()) {
      if (isAdmin(u.role) || granted.has(u.id)) this.raise(u.id, kind, message, details, robotId);
    }
  }
}
