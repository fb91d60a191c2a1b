/** Per-robot grants of members (owners and admins can do everything with every robot). */
import Type, { type Static } from "typebox";
import type { Database } from "../store/database.ts";

export const GrantSetSchema = Type.Object(
  {
    view: Type.Boolean({ description: "state, map, rooms, consumables, history" }),
    control: Type.Boolean({ description: "commands and schedules (implies view)" }),
    camera: Type.Boolean({ description: "live view and recordings (implies view)" }),
  },
  { additionalProperties: false },
);
export type GrantSet = Static<typeof GrantSetSchema>;

export const NO_GRANTS: GrantSet = { view: false, control: false, camera: false };
export const ALL_GRANTS: GrantSet = { view: true, control: true, camera: true };

/** control and camera are useless without seeing the robot, so they imply view. */
export const normalizeGrants = (g: GrantSet): GrantSet => ({ ...g, view: g.view || g.control || g.camera });

export interface RobotGrantRecord extends GrantSet {
  userId: string;
  robotId: string;
  grantedBy: string | null;
  grantedAt: number;
}

interface Row {
  user_id: string;
  robot_id: string;
  can_view: number;
  can_control: number;
  can_camera: number;
  granted_by: string | null;
  granted_at: number;
}

export class GrantRepository {
  private readonly stmts;

  constructor(db: Database) {
    this.stmts = {
      upsert: db.prepare(`
        INSERT INTO robot_grants (user_id, robot_id, can_view, can_control, can_camera, granted_by, granted_at)
        VALUES (@userId, @robotId, @view, @control, @camera, @grantedBy, @grantedAt)
        ON CONFLICT (user_id, robot_id) DO UPDATE SET can_view = excluded.can_view,
          can_control = excluded.can_control, can_camera = excluded.can_camera,
          granted_by = excluded.granted_by, granted_at = excluded.granted_at`),
      get: db.prepare<[string, string], Row>("SELECT * FROM robot_grants WHERE user_id = ? AND robot_id = ?"),
      ofUser: db.prepare<[string], Row>("SELECT * FROM robot_grants WHERE user_id = ? ORDER BY robot_id"),
      ofRobot: db.prepare<[string], Row>("SELECT * FROM robot_grants WHERE robot_id = ?"),
      remove: db.prepare("DELETE FROM robot_grants WHERE user_id = ? AND robot_id = ?"),
    };
  }

  set(userId: string, robotId: string, grants: GrantSet, grantedBy: string | null, now: number): void {
    const g = normalizeGrants(grants);
    if (!g.view) {
      this.remove(userId, robotId);
      return;
    }
    this.stmts.upsert.run({
      userId,
      robotId,
      view: Number(g.view),
      control: Number(g.control),
      camera: Number(g.camera),
      grantedBy,
      grantedAt: now,
    });
  }

  get(userId: string, robotId: string): GrantSet {
    const row = this.stmts.get.get(userId, robotId);
    return row
      ? { view: row.can_view === 1, control: row.can_control === 1, camera: row.can_camera === 1 }
      : NO_GRANTS;
  }

  ofUser(userId: string): RobotGrantRecord[] {
    return this.stmts.ofUser.all(userId).map(toGrant);
  }

  ofRobot(robotId: string): RobotGrantRecord[] {
    return this.stmts.ofRobot.all(robotId).map(toGrant);
  }

  remove(userId: string, robotId: string): boolean {
    return this.stmts.remove.run(userId, robotId).changes > 0;
  }
}

function toGrant(r: Row): RobotGrantRecord {
  return {
    userId: r.user_id,
    robotId: r.robot_id,
    view: r.can_view === 1,
    control: r.can_control === 1,
    camera: r.can_camera === 1,
    grantedBy: r.granted_by,
    grantedAt: r.granted_at,
  };
}
