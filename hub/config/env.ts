/**
 * Environment overrides: `SWEEPHUB_<SECTION>_<KEY>` with the camelCase key in UPPER_SNAKE
 * (`robots.commandTimeoutMs` is `SWEEPHUB_ROBOTS_COMMAND_TIMEOUT_MS`). Names and types come from the
 * schema, so a new config key gets its variable for free.
 */
import { type ConfigIssue, closest, describeAllowed, formatValue, type SchemaNode } from "./errors.ts";
import { ConfigSchema } from "./schema.ts";

export const ENV_PREFIX = "SWEEPHUB_";

/**
 * `SWEEPHUB_*` variables that are not config keys and must not be reported as unknown.
 * SWEEPHUB_DATA picks the data folder; the NETNS pair belongs to the test runner's network isolation.
 */
export const NON_CONFIG_ENV: ReadonlySet<string> = new Set([
  "SWEEPHUB_DATA",
  "SWEEPHUB_NETNS",
  "SWEEPHUB_NO_NETNS",
]);

export interface EnvKey {
  name: string;
  section: string;
  key: string;
  schema: SchemaNode;
}

export function envNameFor(section: string, key: string): string {
  return `${ENV_PREFIX}${section.toUpperCase()}_${key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()}`;
}

/** Every config key with its environment variable name, in schema order. */
export function envKeys(): EnvKey[] {
  const root = ConfigSchema as unknown as SchemaNode;
  const out: EnvKey[] = [];
  for (const [section, sectionNode] of Object.entries(root.properties ?? {})) {
    for (const [key, schema] of Object.entries(sectionNode.properties ?? {})) {
      out.push({ name: envNameFor(section, key), section, key, schema });
    }
  }
  return out;
}

export interface EnvOverrides {
  /** Values by section and key, already converted to the schema's type. */
  values: Record<string, Record<string, unknown>>;
  /** Dotted config path -> the variable that set it, for error messages. */
  sources: Map<string, string>;
  issues: ConfigIssue[];
  warnings: string[];
}

export function readEnvOverrides(env: NodeJS.ProcessEnv): EnvOverrides {
  const known = new Map(envKeys().map((k) => [k.name, k]));
  const result: EnvOverrides = { values: {}, sources: new Map(), issues: [], warnings: [] };
  for (const name of Object.keys(env).sort()) {
    const raw = env[name];
    if (!name.startsWith(ENV_PREFIX) || raw === undefined || NON_CONFIG_ENV.has(name)) continue;
    const target = known.get(name);
    if (!target) {
      const hint = closest(name, [...known.keys()]);
      result.warnings.push(
        `Ignoring unknown environment variable ${name}${hint ? ` (did you mean ${hint}?)` : ""}`,
      );
      continue;
    }
    const path = `${target.section}.${target.key}`;
    const converted = convert(raw, target.schema);
    if (!converted.ok) {
      result.issues.push({
        path,
        problem: `${formatValue(raw)} is not allowed; expected ${describeAllowed(target.schema)}`,
        source: `environment variable ${name}`,
      });
      continue;
    }
    result.values[target.section] ??= {};
    result.values[target.section][target.key] = converted.value;
    result.sources.set(path, `environment variable ${name}`);
  }
  return result;
}

function convert(raw: string, schema: SchemaNode): { ok: true; value: unknown } | { ok: false } {
  const text = raw.trim();
  switch (schema.type) {
    case "integer":
      return /^[+-]?\d+$/.test(text) ? { ok: true, value: Number(text) } : { ok: false };
    case "number":
      return text !== "" && Number.isFinite(Number(text)) ? { ok: true, value: Number(text) } : { ok: false };
    case "boolean": {
      const lower = text.toLowerCase();
      if (lower === "true" || lower === "1") return { ok: true, value: true };
      if (lower === "false" || lower === "0") return { ok: true, value: false };
      return { ok: false };
    }
    default:
      // Strings and literal unions pass through; the schema check reports values outside the union.
      return { ok: true, value: raw };
  }
}
