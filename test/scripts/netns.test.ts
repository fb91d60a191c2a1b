import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { isInsidePrivateNetns, probePrivateNetns, runInPrivateNetns } from "../../scripts/netns.mjs";

const probe = probePrivateNetns();
const noNetns = probe.ok ? false : `no private network namespace here: ${probe.reason}`;
const onlyLoopback = Object.values(networkInterfaces()).every((a) => (a ?? []).every((x) => x.internal));
const netnsScript = join(import.meta.dirname, "..", "..", "scripts", "netns.mjs");

/** An environment without our flags, as if started from a plain shell. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.SWEEPHUB_NETNS;
  delete env.SWEEPHUB_NO_NETNS;
  return env;
}

// Runs inside the namespace: reports interfaces, the flag, and whether multicast sent on loopback
// comes back (what mDNS needs), into the JSON file named by argv[1].
const PROBE_SCRIPT = `
const dgram = require("node:dgram");
const fs = require("node:fs");
const os = require("node:os");
const report = (multicast) => {
  fs.writeFileSync(process.argv[1], JSON.stringify({
    flag: process.env.SWEEPHUB_NETNS ?? null,
    interfaces: Object.keys(os.networkInterfaces()),
    multicast,
  }));
  process.exit(0);
};
const sock = dgram.createSocket({ type: "udp4", reuseAddr: true });
const timer = setTimeout(() => report(false), 3000);
sock.on("message", (m) => { if (String(m) === "ping") { clearTimeout(timer); sock.close(); report(true); } });
sock.on("error", () => report(false));
sock.bind(55353, () => {
  sock.addMembership("224.0.0.251", "127.0.0.1");
  sock.setMulticastInterface("127.0.0.1");
  sock.setMulticastLoopback(true);
  sock.send("ping", 55353, "224.0.0.251");
});
`;

describe("runInPrivateNetns", () => {
  it("isolates the command: loopback only, SWEEPHUB_NETNS=1, multicast works", {
    skip: noNetns,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "sweephub-netns-"));
    try {
      const out = join(dir, "report.json");
      const fallbacks: string[] = [];
      const result = await runInPrivateNetns(process.execPath, ["-e", PROBE_SCRIPT, out], {
        env: cleanEnv(),
        forceNew: true,
        onFallback: (r) => fallbacks.push(r),
      });
      assert.deepEqual(fallbacks, []);
      assert.deepEqual(result, { code: 0, signal: null, isolated: true });
      const report = JSON.parse(readFileSync(out, "utf8"));
      assert.equal(report.flag, "1");
      assert.deepEqual(report.interfaces, ["lo"]);
      assert.equal(report.multicast, true, "multicast on loopback reaches the sender's own socket");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("passes the exit code through", { skip: noNetns }, async () => {
    const result = await runInPrivateNetns("sh", ["-c", "exit 7"], {
      env: cleanEnv(),
      forceNew: true,
      stdio: "ignore",
    });
    assert.equal(result.code, 7);
    assert.equal(result.isolated, true);
  });

  it("falls back to the host network with a reason when disabled", async () => {
    const reasons: string[] = [];
    const result = await runInPrivateNetns("sh", ["-c", 'test -z "$SWEEPHUB_NETNS"'], {
      env: { ...cleanEnv(), SWEEPHUB_NO_NETNS: "1" },
      stdio: "ignore",
      onFallback: (r) => reasons.push(r),
    });
    assert.deepEqual(result, { code: 0, signal: null, isolated: false });
    assert.deepEqual(reasons, ["SWEEPHUB_NO_NETNS=1 is set"]);
  });

  it("detects being inside a namespace it made", { skip: noNetns }, async () => {
    const code = `import { isInsidePrivateNetns } from ${JSON.stringify(netnsScript)};
      process.exit(isInsidePrivateNetns() ? 0 : 3);`;
    const inside = await runInPrivateNetns(process.execPath, ["--input-type=module", "-e", code], {
      env: cleanEnv(),
      forceNew: true,
    });
    assert.equal(inside.code, 0);
    assert.equal(isInsidePrivateNetns({}), false, "never without the flag");
  });

  it("does not trust an inherited SWEEPHUB_NETNS flag on a network with real interfaces", {
    skip: onlyLoopback ? "this process already has only loopback interfaces" : false,
  }, () => {
    assert.equal(isInsidePrivateNetns({ SWEEPHUB_NETNS: "1" }), false);
  });

  it("works as a CLI and exits with the command's code", { skip: noNetns }, () => {
    const r = spawnSync(
      process.execPath,
      [netnsScript, "sh", "-c", 'ip -o link | wc -l; exit "$SWEEPHUB_NETNS"'],
      {
        env: cleanEnv(),
        encoding: "utf8",
      },
    );
    assert.equal(r.status, 1, "SWEEPHUB_NETNS=1 inside, used as the exit code");
    assert.equal(r.stdout.trim(), "1", "only the loopback link exists");
  });
});
