/**
 * docs/api.md must not drift from the code: every error code of the registry is documented with its status,
 * and the generated tables (errors, commands) are current.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { COMMANDS } from "../../hub/core/capabilities/index.ts";
import { HUB_ERRORS } from "../../hub/core/errors.ts";
import { describeSchema, updateGeneratedBlocks } from "../../scripts/lib/api-docs.ts";

const doc = readFileSync(new URL("../../docs/api.md", import.meta.url), "utf8");
const rowOf = (name: string) => doc.split("\n").find((l) => l.startsWith(`| \`${name}\` `));

describe("docs/api.md", () => {
  it("documents every HubError code with its HTTP status", () => {
    for (const [code, { status }] of Object.entries(HUB_ERRORS)) {
      const row = rowOf(code);
      assert.ok(row, `error code ${code} is missing: run \`node --import tsx scripts/api-docs.ts\``);
      assert.match(row, new RegExp(`^\\| \`${code}\` +\\| ${status} `), `status of ${code}`);
    }
  });

  it("documents every command", () => {
    for (const c of COMMANDS) assert.ok(rowOf(c.name), `command ${c.name} is missing`);
  });

  it("has current generated tables", () => {
    assert.equal(
      doc,
      updateGeneratedBlocks(doc),
      "docs/api.md is stale: run `node --import tsx scripts/api-docs.ts`",
    );
  });

  it("summarises body schemas readably", () => {
    const body = COMMANDS.find((c) => c.name === "clean_rooms")?.body;
    assert.ok(body);
    assert.equal(
      describeSchema(body as Parameters<typeof describeSchema>[0]),
      "{ rooms: { id: string(1..64), repeats?: 1..10 }[1..64] }",
    );
  });
});
