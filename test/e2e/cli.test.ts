/**
 * The `sweephub` command as a user runs it: invalid configuration stops the hub with a message naming the key,
 * the value and what is allowed; the simulator prints its robots' setup codes and obeys `sim-ctl`.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { BIN, freePort, runCli } from "../support/cli.ts";
import { tempDir, waitFor } from "../support/harness.ts";

describe("sweephub CLI", () => {
  const dir = tempDir("cli");
  const children: ChildProcess[] = [];
  after(() => {
    for (const c of children) c.kill("SIGKILL");
    dir.remove();
  });

  it("refuses an invalid config file, naming the key, the value and what is allowed", async () => {
    const data = join(dir.path, "bad-file");
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, "config.yaml"), "http:\n  port: 99999\n");
    const r = await runCli(["start"], { SWEEPHUB_DATA: data });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /http\.port/);
    assert.match(r.stderr, /99999/);
    assert.match(r.stderr, /between 1 and 65535/);
    assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, "no stack trace for a user mistake");
  });

  it("refuses an invalid environment override, naming the variable", async () => {
    const r = await runCli(["start"], {
      SWEEPHUB_DATA: join(dir.path, "bad-env"),
      SWEEPHUB_LOG_LEVEL: "loud",
    });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /log\.level/);
    assert.match(r.stderr, /SWEEPHUB_LOG_LEVEL/);
    assert.match(r.stderr, /loud/);
  });

  it("answers an unknown command with usage and exit code 2", async () => {
    const r = await runCli(["fly"], {});
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Unknown command/);
    assert.match(r.stderr, /sweephub demo/);
  });

  it("runs simulated robots that print their setup codes and obey sim-ctl", async () => {
    const controlPort = await freePort();
    const child = spawn(
      process.execPath,
      [
        BIN,
        "sim",
        "--robots",
        "2",
        "--control-port",
        String(controlPort),
        "--state-dir",
        join(dir.path, "sim"),
        "--host",
        "127.0.0.1",
      ],
      { env: { ...process.env } },
    );
    children.push(child);
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    await waitFor("simulator ready", () => out.includes("control port"), 60_000);
    const codes = [...out.matchAll(/setup code (\d{4}-\d{4})/g)].map((m) => m[1]);
    assert.equal(codes.length, 2, out);
    const ctl = (...args: string[]) =>
      runCli(["sim-ctl", ...args, "--control-port", String(controlPort)], {});
    const list = await ctl("list");
    assert.equal(list.code, 0, list.stderr);
    const robots = (JSON.parse(list.stdout) as { robots: { id: string; state: { status: string } }[] })
      .robots;
    assert.equal(robots.length, 2);
    const id = robots[0]?.id as string;
    const fault = await ctl("fault", id, "bin_full");
    assert.equal(fault.code, 0, fault.stderr);
    assert.equal(JSON.parse(fault.stdout).state.error.code, "bin_full");
    // The control port itself validates what it is sent.
    const base = `http://127.0.0.1:${controlPort}/robots/${id}/fault`;
    const bad = await fetch(base, { method: "POST", body: JSON.stringify({ code: "exploded" }) });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /code/);
    const clear = await fetch(base, { method: "DELETE" });
    assert.equal(((await clear.json()) as { state: { error: unknown } }).state.error, null);
    child.kill("SIGINT");
    const exit = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
    assert.equal(exit, 0, "Ctrl-C stops the simulator cleanly");
  });
});
