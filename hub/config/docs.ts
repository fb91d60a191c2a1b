/**
 * docs/configuration.md, generated from the schema like the commented config.yaml, so the reference
 * cannot drift. Regenerate with `node --import tsx scripts/config-docs.ts`; a test fails if it is stale.
 */
import { markdownTable } from "../../scripts/lib/markdown-table.ts";
import { envNameFor } from "./env.ts";
import { describeAllowed, type SchemaNode } from "./errors.ts";
import { ConfigSchema } from "./schema.ts";

export function renderConfigMarkdown(): string {
  const root = ConfigSchema as unknown as SchemaNode;
  const out = [
    "# Configuration",
    "",
    "<!-- Generated from hub/config/schema.ts by scripts/config-docs.ts. Do not edit by hand. -->",
    "",
    "The hub reads `config.yaml` from its data folder (`./data`, or the folder in `SWEEPHUB_DATA`).",
    "On first start it writes the file with every setting at its default and described in a comment.",
    "Each setting can also be set with an environment variable, which wins over the file. Unknown keys",
    "and invalid values stop the hub with a message naming the key, the value and what is allowed.",
  ];
  for (const [section, node] of Object.entries(root.properties ?? {})) {
    out.push("", `## \`${section}\`: ${node.title ?? section}`, "", node.description ?? "", "");
    const rows = Object.entries(node.properties ?? {}).map(([key, leaf]) => [
      `\`${section}.${key}\``,
      `\`${JSON.stringify(leaf.default)}\``,
      describeAllowed(leaf),
      `\`${envNameFor(section, key)}\``,
      leaf.description ?? "",
    ]);
    // Padded columns, as the formatter (biome) lays out markdown tables: `npm test` checks both.
    out.push(markdownTable(["Key", "Default", "Allowed", "Environment variable", "Description"], rows));
  }
  return `${out.join("\n")}\n`;
}
