/**
 * Loading the configuration: `<dataDir>/config.yaml` (created with commented defaults on first
 * start), then `SWEEPHUB_*` environment overrides, then defaults for anything unset, then one
 * validation pass that reports every problem at once as a ConfigError.
 */
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";
import type { TSchema } from "typebox";
import { Compile } from "typebox/compile";
import Value from "typebox/value";
import { type Document, isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { readEnvOverrides } from "./env.ts";
import {
  ConfigError,
  type ConfigIssue,
  closest,
  describeAllowed,
  formatValue,
  type SchemaNode,
} from "./errors.ts";
import { type Config, ConfigSchema } from "./schema.ts";
import { renderConfigTemplate } from "./template.ts";

export { ConfigError, type ConfigIssue } from "./errors.ts";
export { type Config, ConfigSchema, LOG_LEVELS, type LogLevel } from "./schema.ts";

export const CONFIG_FILE_NAME = "config.yaml";

export interface LoadConfigOptions {
  dataDir: string;
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Write a commented default config.yaml if there is none (default true). */
  createIfMissing?: boolean;
}

export interface LoadedConfig {
  config: Config;
  /** Absolute path of config.yaml (whether or not it exists). */
  path: string;
  /** True if this call wrote config.yaml. */
  created: boolean;
  /** Non-fatal findings (unknown SWEEPHUB_* variables, YAML warnings) for the caller to log. */
  warnings: string[];
}

const checker = Compile(ConfigSchema);

/** The data folder: SWEEPHUB_DATA if set, else ./data, resolved against the working directory. */
export function resolveDataDir(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  return resolve(cwd, env.SWEEPHUB_DATA || "data");
}

export function defaultConfig(): Config {
  return Value.Default(ConfigSchema, {}) as Config;
}

export function loadConfig(opts: LoadConfigOptions): LoadedConfig {
  const env = opts.env ?? process.env;
  const path = resolve(opts.dataDir, CONFIG_FILE_NAME);
  const warnings: string[] = [];
  const created = opts.createIfMissing !== false && writeTemplateIfMissing(opts.dataDir, path);

  const text = readIfExists(path);
  const lineCounter = new LineCounter();
  const doc = text === undefined ? undefined : parseDocument(text, { lineCounter });
  if (doc && doc.errors.length > 0) {
    const e = doc.errors[0];
    const where = e.linePos ? `${path}:${e.linePos[0].line}:${e.linePos[0].col}` : path;
    throw new ConfigError([
      {
        path: "",
        problem: `YAML syntax error: ${firstLine(e.message).replace(/ at line \d+, column \d+:?$/, "")}`,
        source: where,
      },
    ]);
  }
  for (const w of doc?.warnings ?? []) warnings.push(`${path}: ${firstLine(w.message)}`);

  const fromFile: unknown = doc ? (doc.toJS() ?? {}) : {};
  if (typeof fromFile !== "object" || Array.isArray(fromFile)) {
    const allowed = describeAllowed(ConfigSchema as unknown as SchemaNode);
    throw new ConfigError([{ path: "(top level)", problem: `must be ${allowed}`, source: path }]);
  }
  const raw = fromFile as Record<string, unknown>;
  // A section whose keys are all commented out parses as null; treat it as "use the defaults".
  for (const [k, v] of Object.entries(raw)) if (v === null) delete raw[k];

  const overrides = readEnvOverrides(env);
  warnings.push(...overrides.warnings);
  for (const [section, values] of Object.entries(overrides.values)) {
    const current = raw[section];
    raw[section] = isPlainObject(current) ? { ...current, ...values } : values;
  }

  const sourceOf = (dotted: string): string =>
    overrides.sources.get(dotted) ?? (doc ? `${path}${lineSuffix(doc, lineCounter, dotted)}` : path);
  const candidate = Value.Default(ConfigSchema, Value.Clone(raw));
  const issues = [...overrides.issues, ...schemaIssues(candidate, sourceOf)];
  if (issues.length === 0) issues.push(...crossFieldIssues(candidate as Config, sourceOf));
  if (issues.length > 0) throw new ConfigError(issues);
  return { config: candidate as Config, path, created, warnings };
}

/**
 * Walks the schema rather than reading the compiled checker's error list: that list is capped (a
 * bad enum value alone fills it) and we want every problem, one line per key.
 */
function schemaIssues(value: unknown, sourceOf: (dotted: string) => string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const walk = (node: SchemaNode, v: unknown, segments: string[]): void => {
    const dotted = segments.join(".");
    if (node.type === "object" && node.properties) {
      if (!isPlainObject(v)) {
        issues.push({
          path: dotted,
          problem: `${formatValue(v)} is not allowed; expected ${describeAllowed(node)}`,
          source: sourceOf(dotted),
        });
        return;
      }
      const allowedKeys = Object.keys(node.properties);
      for (const key of Object.keys(v)) {
        if (allowedKeys.includes(key)) continue;
        const keyPath = [...segments, key].join(".");
        const hint = closest(key, allowedKeys);
        issues.push({
          path: keyPath,
          problem:
            `unknown key${hint ? ` (did you mean "${hint}"?)` : ""}; ` +
            `allowed keys${dotted ? ` in ${dotted}` : ""}: ${allowedKeys.join(", ")}`,
          source: sourceOf(keyPath),
        });
      }
      for (const [key, child] of Object.entries(node.properties)) walk(child, v[key], [...segments, key]);
      return;
    }
    if (!Value.Check(node as TSchema, v)) {
      issues.push({
        path: dotted,
        problem: `${formatValue(v)} is not allowed; expected ${describeAllowed(node)}`,
        source: sourceOf(dotted),
      });
    }
  };
  walk(ConfigSchema as unknown as SchemaNode, value, []);
  if (issues.length === 0 && !checker.Check(value)) {
    // A schema keyword the walker does not know about; still refuse, with the checker's words.
    const first = checker.Errors(value)[0];
    const dotted = (first?.instancePath ?? "").split("/").slice(1).join(".");
    issues.push({ path: dotted, problem: first?.message ?? "invalid value", source: sourceOf(dotted) });
  }
  return issues;
}

function crossFieldIssues(config: Config, sourceOf: (dotted: string) => string): ConfigIssue[] {
  const { reconnectMinMs, reconnectMaxMs } = config.robots;
  if (reconnectMinMs <= reconnectMaxMs) return [];
  return [
    {
      path: "robots.reconnectMinMs",
      problem: `${reconnectMinMs} is not allowed; expected at most robots.reconnectMaxMs (${reconnectMaxMs})`,
      source: sourceOf("robots.reconnectMinMs"),
    },
  ];
}

/** ":<line>" of a dotted key in the parsed file, or "" if it was not set there. */
function lineSuffix(doc: Document, lines: LineCounter, dotted: string): string {
  let node: unknown = doc.contents;
  const segments = dotted.split(".");
  for (const [i, segment] of segments.entries()) {
    if (!isMap(node)) return "";
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
    if (!pair) return "";
    if (i === segments.length - 1) {
      const range = isScalar(pair.key) ? pair.key.range : undefined;
      return range ? `:${lines.linePos(range[0]).line}` : "";
    }
    node = pair.value;
  }
  return "";
}

function writeTemplateIfMissing(dataDir: string, path: string): boolean {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  let fd: number;
  try {
    fd = openSync(path, "wx", 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
  try {
    writeSync(fd, renderConfigTemplate());
  } finally {
    closeSync(fd);
  }
  return true;
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function firstLine(s: string): string {
  return s.split("\n")[0];
}

/** Path of config.yaml inside a data folder. */
export function configPath(dataDir: string): string {
  return join(dataDir, CONFIG_FILE_NAME);
}
