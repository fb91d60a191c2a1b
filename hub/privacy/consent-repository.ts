/** Per-robot consent switches (data minimisation): keep cleaning history, record camera (default off). */
import Type, { type Static } from "typebox";
import type { Database } from "../store/database.ts";

export const ConsentSchema = Type.Object(
  {
    keepHistory: Type.Boolean({ description: "store cleaning history for this robot (default on)" }),
    recordCamera: Type.Boolean({ description: "allow camera recordings for this robot (default off)" }),
  },
  { additionalProperties: false },
);
export type Consent = Static<typeof ConsentSchema>;

export const DEFAULT_CONSENT: Consent = { keepHistory: true, recordCamera: false };

export class ConsentRepository {
  private readonly stmts;

  constructor(db: Database) {
    this.stmts = {
      get: db.prepare<[string], { keep_history: number; record_camera: number }>(
        "SELECT keep_history, record_camera FROM robot_consent WHERE robot_id = ?",
      ),
      set: db.prepare(`
        INSERT INTO robot_consent (robot_id, keep_history, record_camera, updated_at, updated_by)
        VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (robot_id) DO UPDATE SET keep_history = excluded.keep_history,
          record_camera = excluded.record_camera, updated_at = excluded.updated_at,
          updated_by = excluded.updated_by`),
    };
  }

  get(robotId: string): Consent {
    const row = this.stmts.get.get(robotId);
    return row
      ? { keepHistory: row.keep_history === 1, recordCamera: row.record_camera === 1 }
      : DEFAULT_CONSENT;
  }

  set(robotId: string, consent: Consent, by: string | null, now: number): void {
    this.stmts.set.run(robotId, Number(consent.keepHistory), Number(consent.recordCamera), now, by);
  }
}
