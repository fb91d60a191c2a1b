/**
 * The generated parts of docs/api.md: the error registry (hub/core/errors.ts) and the command list
 * (hub/core/capabilities), so the reference cannot drift from the code. The prose around them is written by
 * hand; each generated block sits between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`.
 * Regenerate with `node --import tsx scripts/api-docs.ts`; test/docs/api-doc.test.ts fails when it is stale.
 */
import type { TSchema } from "typebox";
import { COMMANDS } from "../../hub/core/capabilities/index.ts";
import { HUB_ERRORS } from "../../hub/core/errors.ts";
import { markdownTable } from "./markdown-table.ts";

const KIND: Record<string, string> = {
  caller: "caller: fix the request",
  robot: "robot: refused or unavailable",
  hub: "hub: a bug, please report it",
};

export function renderErrorTable(): string {
  return markdownTable(
    ["code", "HTTP", "who", "message"],
    Object.entries(HUB_ERRORS).map(([code, e]) => [`\`${code}\``, String(e.status), KIND[e.kind], e.message]),
  );
}

export function renderCommandTable(): string {
  return markdownTable(
    ["command", "capability", "body", "what it does", "protocol method"],
    COMMANDS.map((c) => [
      `\`${c.name}\``,
      `\`${c.capability}\``,
      `\`${describeSchema(c.body as JsonSchema)}\``,
      c.summary,
      `\`${c.method}\``,
    ]),
  );
}

const BLOCKS: Record<string, () => string> = { errors: renderErrorTable, commands: renderCommandTable };

/** The document with every generated block replaced by a fresh rendering. */
export function updateGeneratedBlocks(doc: string): string {
  let out = doc;
  for (const [name, render] of Object.entries(BLOCKS)) {
    const open = `<!-- generated:${name} (scripts/api-docs.ts) -->`;
    const close = `<!-- /generated:${name} -->`;
    const start = out.indexOf(open);
    const end = out.indexOf(close);
    if (start < 0 || end < start) throw new Error(`docs/api.md has no generated block "${name}"`);
    out = `${out.slice(0, start + open.length)}\n\n${render()}\n\n${out.slice(end)}`;
  }
  return out;
}

interface JsonSchema extends TSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
}

/** A one-line, TypeScript-like summary of a body schema: `{ rooms: { id: string(1..64), repeats?: 1..10 }[1..64] }`. */
export function describeSchema(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  const range = (min?: number, max?: number) =>
    min === undefined && max === undefined ? "" : `${min ?? ""}..${max ?? ""}`;
  switch (s.type) {
    case "object": {
      const props = Object.entries(s.properties ?? {});
      if (props.length === 0) return "{}";
      const required = new Set(s.required ?? []);
      return `{ ${props.map(([k, v]) => `${k}${required.has(k) ? "" : "?"}: ${describeSchema(v)}`).join(", ")} }`;
    }
    case "array": {
      const r = range(s.minItems, s.maxItems);
      return `${describeSchema(s.items ?? ({} as JsonSchema))}[${r}]`;
    }
    case "integer":
    case "number": {
      const r = range(s.minimum, s.maximum);
      return r || s.type;
    }
    case "string": {
      const r = range(s.minLength, s.maxLength);
      return r ? `string(${r})` : "string";
    }
    default:
      return s.type ?? "any";
  }
}
