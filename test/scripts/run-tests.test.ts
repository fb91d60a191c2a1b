import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

const repo = join(import.meta.dirname, "..", "..");

/**
 * A throwaway project with the real runner, fake tsc/biome (exit codes chosen by env, arguments
 * recorded) and a passing and a failing test file.
 */
let project: string;
before(() => {
  project = mkdtempSync(join(tmpdir(), "sweephub-runner-"));
  mkdirSync(join(project, "scripts"));
  for (const f of ["run-tests.mjs", "netns.mjs"])
    copyFileSync(join(repo, "scripts", f), join(project, "scripts", f));
  mkdirSync(join(project, "node_modules", ".bin"), { recursive: true });
  symlinkSync(join(repo, "node_modules", "tsx"), join(project, "node_modules", "tsx"));
  for (const tool of ["tsc", "biome"]) {
    const file = join(project, "node_modules", ".bin", tool);
    const upper = tool.toUpperCase();
    writeFileSync(file, `#!/bin/sh\necho "$@" > "${project}/${tool}.args"\nexit \${FAKE_${upper}_EXIT:-0}\n`);
    chmodSync(file, 0o755);
  }
  mkdirSync(join(project, "test", "b"), { recursive: true });
  const passing = 'import { it } from "node:test";\nit("passes", () => {});\n';
  writeFileSync(join(project, "test", "b", "zeta.test.ts"), passing);
  writeFileSync(join(project, "test", "alpha.test.ts"), passing);
  writeFileSync(
    join(project, "test", "b", "broken.test.ts"),
    'import { it } from "node:test";\nimport assert from "node:assert";\nit("fails", () => assert.equal(1, 2));\n',
  );
  writeFileSync(join(project, "test", "helper.ts"), "export const notATest = 1;\n");
});
after(() => rmSync(project, { recursive: true, force: true }));

function runner(args: string[], env: Record<string, string> = {}) {
  for (const tool of ["tsc", "biome"]) rmSync(join(project, `${tool}.args`), { force: true });
  const r = spawnSync(process.execPath, [join(project, "scripts", "run-tests.mjs"), ...args], {
    cwd: project,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  const lines = r.stdout.trimEnd().split("\n");
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, lastLine: lines.at(-1) ?? "" };
}

describe("run-tests.mjs", () => {
  it("stops at a failing type check with a banner, before lint and tests", () => {
    const r = runner([], { FAKE_TSC_EXIT: "3" });
    assert.equal(r.status, 3);
    assert.match(r.stdout, /=== \[1\/3\] Type check: node_modules\/\.bin\/tsc --noEmit -p tsconfig\.json/);
    assert.match(r.stdout, /FAILED: Type check \(exit 3\)/);
    assert.equal(existsSync(join(project, "biome.args")), false, "lint did not run");
    assert.doesNotMatch(r.stdout, /Tests:/);
  });

  it("runs biome with warnings as errors and stops when it fails", () => {
    const r = runner([], { FAKE_BIOME_EXIT: "1" });
    assert.equal(r.status, 1);
    assert.equal(readFileSync(join(project, "biome.args"), "utf8").trim(), "check --error-on-warnings .");
    assert.match(r.stdout, /FAILED: Lint and format/);
    assert.doesNotMatch(r.stdout, /Tests:/);
  });

  it("runs every test file after tsc and lint and fails on a failing test", () => {
    const r = runner([]);
    assert.equal(r.status, 1);
    assert.equal(readFileSync(join(project, "tsc.args"), "utf8").trim(), "--noEmit -p tsconfig.json");
    assert.match(r.stdout, /\[3\/3\] Tests: 3 files/);
    assert.match(r.stdout, /✖ fails/);
    assert.match(r.stdout, /✔ passes/);
    assert.match(r.stdout, /ℹ fail 1/);
    // Node prints the failure list after its summary; the runner adds nothing after the tests start.
    assert.doesNotMatch(r.stdout.slice(r.stdout.indexOf("Tests: 3 files")), /===/);
  });

  it("--only-tests skips tsc and lint; arguments filter the files", () => {
    const r = runner(["--only-tests", "zeta", "alpha"]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(existsSync(join(project, "tsc.args")), false);
    assert.equal(existsSync(join(project, "biome.args")), false);
    assert.match(r.stdout, /\[1\/1\] Tests: 2 files/);
    assert.match(r.stdout, /pass 2/);
    assert.match(r.lastLine, /duration_ms/);
  });

  it("passes --options through to node --test", () => {
    const r = runner(["--only-tests", "--test-name-pattern=passes"]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /pass 2/);
  });

  it("fails clearly when no test file matches", () => {
    const r = runner(["--only-tests", "no-such-file"]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /No test files match no-such-file/);
  });
});
