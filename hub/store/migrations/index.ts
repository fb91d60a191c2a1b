/**
 * Every schema step in order. Add a step by adding a file `NNNN-what.ts` and one line here; the
 * versions must run 1, 2, 3, ... without gaps. Never edit or reorder a shipped step.
 */
import { initialSchema } from "./0001-initial.ts";
import { accountsSchema } from "./0002-accounts.ts";
import { matterSchema } from "./0003-matter.ts";
import { mapsSchema } from "./0004-maps.ts";
import { notificationKeysSchema } from "./0005-notification-keys.ts";
import type { Migration } from "./migration.ts";

export type { Migration } from "./migration.ts";

export const MIGRATIONS: readonly Migration[] = [
  initialSchema,
  accountsSchema,
  matterSchema,
  mapsSchema,
  notificationKeysSchema,
];
