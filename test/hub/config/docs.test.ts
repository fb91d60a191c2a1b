import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import { renderConfigMarkdown } from "../../../hub/config/docs.ts";
import { envKeys } from "../../../hub/config/env.ts";

it("docs/configuration.md matches the schema", () => {
  const onDisk = readFileSync(
    join(import.meta.dirname, "..", "..", "..", "docs", "configuration.md"),
    "utf8",
  );
  const fresh = renderConfigMarkdown();
  for (const k of envKeys())
    assert.match(fresh, new RegExp(`\\| \`${k.section}\\.${k.key}\` +\\|`), `${k.name} documented`);
  assert.equal(
    onDisk,
    fresh,
    "docs/configuration.md is stale: run `node --import tsx scripts/config-docs.ts`",
  );
});
