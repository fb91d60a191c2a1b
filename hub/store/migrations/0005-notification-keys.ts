import type { Migration } from "./migration.ts";

/**
 * Notifications about robots (docs/architecture.md "Notifications") share the security notices table. A
 * finished cleaning run is notified once per run even after it was dismissed, so a notice can carry the key of
 * the event it reports (the job id); a robot that sends the same event again then raises nothing new.
 */
export const notificationKeysSchema: Migration = {
  version: 5,
  name: "notification-keys",
  up(db) {
    db.exec(`
      ALTER TABLE security_notices ADD COLUMN event_key TEXT;
      CREATE INDEX security_notices_event ON security_notices (user_id, kind, robot_id, event_key);
    `);
  },
};
