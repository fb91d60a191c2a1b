/** Refreshes the generated tables in docs/api.md: `node --import tsx scripts/api-docs.ts`. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { updateGeneratedBlocks } from "./lib/api-docs.ts";

const target = join(import.meta.dirname, "..", "docs", "api.md");
writeFileSync(target, updateGeneratedBlocks(readFileSync(target, "utf8")));
console.log(`updated ${target}`);
