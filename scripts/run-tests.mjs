#!/usr/bin/env node
/**
 * The one gate (`npm test`): type check, lint (warnings are errors), then every test file, stopping at
 * the first failing step. Tests run in a private network namespace (see netns.mjs) so mDNS and socket
 * tests cannot touch the LAN.
 *
 *   node scripts/run-tests.mjs                  all steps, all test/**\/*.test.ts
 *   node scripts/run-tests.mjs --only-tests     skip tsc and lint
 *   node scripts/run-tests.mjs store config     only test files whose path contains "store" or "config"
 *   node scripts/run-tests.mjs --test-name-pattern=redact   other --options go to `node --test`
 *
 * Nothing is printed after the test runner's own summary: CI reads its last line.
 */
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { runInPrivateNetns } from "./netns.mjs";

const root = resolve(fileURLToPath(import.meta.url), "..", "..");
const bin = (name) => join(root, "node_modules", ".bin", name);

const args = process.argv.slice(2);
const onlyTests = args.includes("--only-tests");
const nodeTestFlags = args.filter((a) => a.startsWith("--") && a !== "--only-tests");
const filters = args.filter((a) => !a.startsWith("--"));

const steps = [];
if (!onlyTests) {
  steps.push({ title: "Type check", command: bin("tsc"), args: ["--noEmit", "-p", "tsconfig.json"] });
  steps.push({
    title: "Lint and format",
    command: bin("biome"),
    args: ["check", "--error-on-warnings", "."],
  });
}

const files = findTestFiles(join(root, "test")).filter(
  (f) => filters.length === 0 || filters.some((flt) => f.includes(flt) || resolve(flt) === resolve(root, f)),
);
if (files.length === 0) {
  console.error(`No test files match ${filters.length ? filters.join(", ") : "test/**/*.test.ts"}.`);
  process.exit(1);
}

const total = steps.length + 1;
for (const [i, step] of steps.entries()) {
  banner(`[${i + 1}/${total}] ${step.title}: ${[relative(root, step.command), ...step.args].join(" ")}`);
  const code = await run(step.command, step.args);
  if (code !== 0) {
    banner(`FAILED: ${step.title} (exit ${code}). Fix the errors above; tests were not run.`);
    process.exit(code || 1);
  }
}

banner(`[${total}/${total}] Tests: ${files.length} file${files.length === 1 ? "" : "s"}`);
const testArgs = [
  "--import",
  "tsx",
  "--test",
  "--test-reporter=spec",
  "--test-concurrency=2",
  ...(nodeTestFlags.some((f) => f.startsWith("--test-timeout")) ? [] : ["--test-timeout=180000"]),
  ...nodeTestFlags,
  ...files,
];
// Set when this runner itself is started from a test; the nested runner would then report to a
// parent that is not listening instead of printing.
const env = { ...process.env };
delete env.NODE_TEST_CONTEXT;
const result = await runInPrivateNetns(process.execPath, testArgs, {
  cwd: root,
  env,
  onFallback: (reason) =>
    console.log(
      `Note: tests run on the host network (mDNS may reach the LAN): no private namespace (${reason}).`,
    ),
});
process.exit(result.code ?? 1);

function banner(text) {
  console.log(`\n=== ${text}`);
}

function run(command, commandArgs) {
  return new Promise((done) => {
    const child = spawn(command, commandArgs, { cwd: root, stdio: "inherit" });
    child.on("error", (err) => {
      console.error(`Cannot run ${command}: ${err.message}`);
      done(127);
    });
    child.on("exit", (code) => done(code ?? 1));
  });
}

/** test/**\/*.test.ts relative to the repo root, with / separators, sorted. */
function findTestFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith(".test.ts"))
        out.push(relative(root, full).split(sep).join("/"));
    }
  };
  walk(dir);
  return out.sort();
}
