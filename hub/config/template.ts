/**
 * The commented `config.yaml` written on first start, generated from the schema's titles,
 * descriptions and defaults so the file and the code cannot drift apart.
 */
import { stringify } from "yaml";
import { envNameFor } from "./env.ts";
import { describeAllowed, type SchemaNode } from "./errors.ts";
import { ConfigSchema } from "./schema.ts";

const WIDTH = 100;

export function renderConfigTemplate(): string {
  const root = ConfigSchema as unknown as SchemaNode;
  const out: string[] = [
    "# sweephub configuration",
    "#",
    "# Written on first start with every setting at its default; edit it and restart the hub.",
    "# Every setting can also be set with the environment variable named in its comment, which wins",
    "# over this file. Unknown keys are an error, so a typo is caught rather than ignored.",
  ];
  for (const [section, node] of Object.entries(root.properties ?? {})) {
    out.push("", ...comment(`${node.title ?? section}: ${node.description ?? ""}`, ""), `${section}:`);
    for (const [key, leaf] of Object.entries(node.properties ?? {})) {
      out.push(
        ...comment(leaf.description ?? "", "  "),
        ...comment(`Allowed: ${describeAllowed(leaf)}.`, "  "),
        ...comment(
          `Default: ${scalar(leaf.default)}. Environment variable: ${envNameFor(section, key)}`,
          "  ",
        ),
        `  ${key}: ${scalar(leaf.default)}`,
      );
    }
  }
  return `${out.join("\n")}\n`;
}

function scalar(value: unknown): string {
  return stringify(value).trimEnd();
}

/** Word-wrapped `# ` lines. */
function comment(text: string, indent: string): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + 2 + line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.map((l) => `${indent}# ${l}`);
}
