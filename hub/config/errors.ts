/**
 * Turning schema violations into messages a user can act on: which key, what value, what is allowed
 * and where the value came from (file and line, or environment variable).
 */

/** One problem with the configuration. `path` is dotted (`http.port`); `source` says where it was set. */
export interface ConfigIssue {
  path: string;
  problem: string;
  source?: string;
}

export class ConfigError extends Error {
  readonly code = "CONFIG_INVALID";
  readonly issues: readonly ConfigIssue[];

  constructor(issues: ConfigIssue[], heading = "Invalid configuration") {
    const lines = issues.map(
      (i) => `  - ${i.path ? `${i.path}: ` : ""}${i.problem}${i.source ? ` (${i.source})` : ""}`,
    );
    super(issues.length === 1 ? `${heading}: ${lines[0].slice(4)}` : `${heading}:\n${lines.join("\n")}`);
    this.name = "ConfigError";
    this.issues = issues;
  }
}

/** A schema node as plain JSON Schema; we only read the keywords our config schema uses. */
export interface SchemaNode {
  type?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  anyOf?: SchemaNode[];
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, SchemaNode>;
  description?: string;
  title?: string;
  default?: unknown;
  "x-allowed"?: string;
}

/** Values of a union of literals (`log.level`) or an enum, or undefined if the node is something else. */
export function literalValues(node: SchemaNode): unknown[] | undefined {
  if (Array.isArray(node.enum)) return node.enum;
  if (!node.anyOf?.every((n) => "const" in n)) return undefined;
  return node.anyOf.map((n) => n.const);
}

/** What a schema node accepts, phrased for a person: "an integer between 1 and 65535". */
export function describeAllowed(node: SchemaNode): string {
  const literals = literalValues(node);
  if (literals) return `one of ${literals.map((v) => JSON.stringify(v)).join(", ")}`;
  if (node["x-allowed"]) return node["x-allowed"];
  switch (node.type) {
    case "integer":
    case "number": {
      const noun = node.type === "integer" ? "an integer" : "a number";
      if (node.minimum !== undefined && node.maximum !== undefined)
        return `${noun} between ${node.minimum} and ${node.maximum}`;
      if (node.minimum !== undefined) return `${noun} of at least ${node.minimum}`;
      if (node.maximum !== undefined) return `${noun} of at most ${node.maximum}`;
      return noun;
    }
    case "boolean":
      return "true or false";
    case "string":
      if (node.minLength !== undefined && node.maxLength !== undefined)
        return `a string of ${node.minLength} to ${node.maxLength} characters`;
      return "a string";
    case "object":
      return `a mapping with the keys ${Object.keys(node.properties ?? {}).join(", ")}`;
    default:
      return "a valid value";
  }
}

/** A value as the user would recognise it in YAML or a shell, kept short. */
export function formatValue(value: unknown): string {
  if (value === undefined) return "(missing)";
  if (value === null) return "(empty)";
  const text = typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The closest candidate within a small edit distance, for "did you mean" hints. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const limit = word.length <= 4 ? 1 : word.length < 10 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** Optimal string alignment distance: a swapped pair of letters ("prot") counts as one edit. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}
