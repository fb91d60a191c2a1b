/** The hub's version, from package.json: shown by the API, written into backups, compared on restore. */
import { readFileSync } from "node:fs";

export const HUB_VERSION: string = (() => {
  try {
    return (
      JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
    ).version;
  } catch {
    return "0.0.0";
  }
})();
