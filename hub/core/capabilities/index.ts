/**
 * The command registry: every command of every capability. The HTTP routes, the WebSocket API and the docs
 * are generated from this list, so adding a capability means adding one file here.
 */
import { basicControlCommands } from "./basic-control.capability.ts";
import { cleanModeCommands } from "./clean-mode.capability.ts";
import type { CommandDef } from "./command.ts";
import { consumablesCommands } from "./consumables.capability.ts";
import { fanSpeedCommands } from "./fan-speed.capability.ts";
import { goToCommands } from "./go-to.capability.ts";
import { locateCommands } from "./locate.capability.ts";
import { mapCommands } from "./map.capability.ts";
import { mapSegmentsEditCommands } from "./map-segments-edit.capability.ts";
import { mappingPassCommands } from "./mapping-pass.capability.ts";
import { restrictionsCommands } from "./restrictions.capability.ts";
import { roomCleaningCommands } from "./room-cleaning.capability.ts";
import { waterLevelCommands } from "./water-level.capability.ts";
import { zoneCleaningCommands } from "./zone-cleaning.capability.ts";

export const COMMANDS: readonly CommandDef[] = [
  ...basicControlCommands,
  ...locateCommands,
  ...fanSpeedCommands,
  ...waterLevelCommands,
  ...cleanModeCommands,
  ...roomCleaningCommands,
  ...zoneCleaningCommands,
  ...goToCommands,
  ...consumablesCommands,
  ...mapCommands,
  ...mapSegmentsEditCommands,
  ...restrictionsCommands,
  ...mappingPassCommands,
] as unknown as readonly CommandDef[];

const byName = new Map(COMMANDS.map((c) => [c.name, c]));

export const findCommand = (name: string): CommandDef | undefined => byName.get(name);

/** Who asked for a command: recorded with it (audit log, cleaning history). */
export type CommandTrigger = "api" | "dashboard" | "websocket" | "matter" | "mqtt" | "schedule" | "demo";
