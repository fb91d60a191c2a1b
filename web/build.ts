/**
 * Builds the dashboard (web/src) into web/dist with esbuild: content-hashed JS and CSS under /assets (cached
 * for a year by the hub), an index.html that names them (never cached), and a manifest listing every source
 * file that went in. `ensureWebBundle` rebuilds when the bundle is missing or a source changed, so `npm start`,
 * `npm run demo` and the tests always serve the dashboard of the checked-out code (a build takes ~100 ms).
 *
 *   node --import tsx web/build.ts         build once (`npm run build:web`)
 */
import { randomBytes } from "node:crypto";
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const WEB_ROOT = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(WEB_ROOT, "..");
export const DEFAULT_DIST = join(WEB_ROOT, "dist");
const MANIFEST = "manifest.json";

export interface WebManifest {
  builtAt: number;
  /** Hashed file names (relative to dist) of the entry points. */
  script: string;
  style: string;
  /** Every source file bundled, relative to the repository root: a change to any of them makes a rebuild. */
  inputs: string[];
}

export function readManifest(distDir = DEFAULT_DIST): WebManifest | null {
  try {
    return JSON.parse(readFileSync(join(distDir, MANIFEST), "utf8")) as WebManifest;
  } catch {
    return null;
  }
}

/** Whether a complete bundle is there (whatever its age): enough to serve when it cannot be rebuilt. */
export function hasBundle(distDir = DEFAULT_DIST): boolean {
  const manifest = readManifest(distDir);
  return (
    manifest !== null &&
    [manifest.script, manifest.style, "index.html"].every((f) => exists(join(distDir, f)))
  );
}

/** Why the bundle must be rebuilt, or null when it is current. */
export function staleReason(distDir = DEFAULT_DIST): string | null {
  const manifest = readManifest(distDir);
  if (!manifest) return "no bundle yet";
  for (const file of [manifest.script, manifest.style, "index.html"]) {
    if (!exists(join(distDir, file))) return `${file} is missing`;
  }
  for (const input of manifest.inputs) {
    const path = join(REPO_ROOT, input);
    let mtime: number;
    try {
      mtime = statSync(path).mtimeMs;
    } catch {
      return `${input} was removed`;
    }
    if (mtime > manifest.builtAt) return `${input} changed`;
  }
  // A new file only matters once an existing one imports it (which changes that file), except new
  // top-level sources that esbuild reaches through the entry points: covered the same way.
  return null;
}

export interface BuildOptions {
  distDir?: string;
  /** Minify (default true): the size the benchmark measures and browsers download. */
  minify?: boolean;
}

export async function buildWeb(options: BuildOptions = {}): Promise<WebManifest> {
  const distDir = options.distDir ?? DEFAULT_DIST;
  const esbuild = await import("esbuild");
  const startedAt = Date.now();
  const result = await esbuild.build({
    entryPoints: {
      app: join(WEB_ROOT, "src", "main.ts"),
      style: join(WEB_ROOT, "src", "styles", "global.css"),
    },
    bundle: true,
    format: "esm",
    target: "es2022",
    minify: options.minify ?? true,
    sourcemap: false,
    legalComments: "none",
    write: false,
    metafile: true,
    outdir: join(distDir, "assets"),
    entryNames: "[name]-[hash]",
    assetNames: "[name]-[hash]",
    logLevel: "silent",
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: true, experimentalDecorators: false } },
  });
  mkdirSync(join(distDir, "assets"), { recursive: true });
  let script = "";
  let style = "";
  for (const out of result.outputFiles) {
    const rel = relative(distDir, out.path).split("\\").join("/");
    if (rel.endsWith(".js")) script = rel;
    if (rel.endsWith(".css")) style = rel;
    writeAtomically(out.path, out.contents);
  }
  if (!script || !style) throw new Error("esbuild produced no script or no style sheet");
  writeAtomically(join(distDir, "index.html"), indexHtml(script, style));
  const inputs = Object.keys(result.metafile.inputs)
    .map((p) => relative(REPO_ROOT, resolve(process.cwd(), p)).split("\\").join("/"))
    .filter((p) => !p.startsWith("node_modules/"))
    .sort();
  const manifest: WebManifest = { builtAt: startedAt, script, style, inputs };
  writeAtomically(join(distDir, MANIFEST), JSON.stringify(manifest, null, 2));
  pruneOldAssets(distDir, new Set([basename(script), basename(style)]));
  return manifest;
}

/** Builds when needed; returns what happened, for the log. Concurrent callers write the same files. */
export async function ensureWebBundle(
  distDir = DEFAULT_DIST,
): Promise<{ built: boolean; reason: string | null; manifest: WebManifest }> {
  const reason = staleReason(distDir);
  if (reason === null) return { built: false, reason, manifest: readManifest(distDir)! };
  return { built: true, reason, manifest: await buildWeb({ distDir }) };
}

/** The page shell: no inline script or style, so a strict Content-Security-Policy holds. */
function indexHtml(script: string, style: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="color-scheme" content="light dark">
<meta name="theme-color" content="#f6f7f9" media="(prefers-color-scheme: light)">
<meta name="theme-color" content="#12151a" media="(prefers-color-scheme: dark)">
<title>sweephub</title>
<link rel="stylesheet" href="/${style}">
<script type="module" src="/${script}"></script>
</head>
<body>
<sh-app><noscript>sweephub needs JavaScript to show the dashboard.</noscript></sh-app>
</body>
</html>
`;
}

function writeAtomically(path: string, contents: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
}

/**
 * Removes hashed files of older builds. Browsers holding an old index.html may still ask for them, so only
 * files older than a day go.
 */
function pruneOldAssets(distDir: string, keep: Set<string>): void {
  const dir = join(distDir, "assets");
  const cutoff = Date.now() - 24 * 3600_000;
  for (const name of readdirSync(dir)) {
    if (keep.has(name)) continue;
    const path = join(dir, name);
    try {
      if (statSync(path).mtimeMs < cutoff) unlinkSync(path);
    } catch {
      // Another build removed it first.
    }
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const manifest = await buildWeb();
  console.log(
    `web/dist: ${manifest.script}, ${manifest.style} from ${manifest.inputs.length} sources in ${Math.round(performance.now() - started)} ms`,
  );
}
