/** Writes docs/configuration.md from the config schema: `node --import tsx scripts/config-docs.ts`. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderConfigMarkdown } from "../hub/config/docs.ts";

const target = join(import.meta.dirname, "..", "docs", "configuration.md");
mkdirSync(join(target, ".."), { recursive: true });
writeFileSync(target, renderConfigMarkdown());
console.log(`wrote ${target}`);
