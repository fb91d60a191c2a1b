#!/usr/bin/env node
/**
 * Runs a command inside a private network namespace that has only a loopback interface, with
 * multicast routed to it, so mDNS and Matter traffic from tests, benchmarks and demos can never
 * reach the LAN (and the LAN cannot reach them). Same prelude as /work/shared/netns-run.
 *
 *   node scripts/netns.mjs <command> [args...]      (exits with the command's exit code)
 *   import { runInPrivateNetns } from "./netns.mjs"
 *
 * As root it uses `unshare --net`; otherwise (or if that is not allowed) an unprivileged user
 * namespace, `unshare --user --map-root-user --net`. If neither works, or SWEEPHUB_NO_NETNS=1, the
 * command runs on the host network and `onFallback` is told why. Inside, SWEEPHUB_NETNS=1 is set.
 */
import { spawn, spawnSync } from "node:child_process";
import { networkInterfaces } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Loopback up, multicast on it, and IPv4/IPv6 multicast routed to it (mDNS needs both). */
export const NETNS_PRELUDE = [
  "ip link set lo up",
  "ip link set lo multicast on",
  "ip route add 224.0.0.0/4 dev lo",
  "ip -6 route add ff00::/8 dev lo table local 2>/dev/null || true",
].join("; ");

const ROOT_FLAGS = ["--net"];
const USER_FLAGS = ["--user", "--map-root-user", "--net"];

/**
 * True when this process runs inside a namespace made by this module: the flag is set and the only
 * network interfaces are loopback (an inherited flag alone is not trusted).
 */
export function isInsidePrivateNetns(env = process.env) {
  if (env.SWEEPHUB_NETNS !== "1") return false;
  return Object.values(networkInterfaces()).every((addrs) => (addrs ?? []).every((a) => a.internal));
}

/**
 * Finds unshare flags that work here by creating a throwaway namespace and running the prelude.
 * @returns {{ ok: true, flags: string[] } | { ok: false, reason: string }}
 */
export function probePrivateNetns() {
  const candidates = process.getuid?.() === 0 ? [ROOT_FLAGS, USER_FLAGS] : [USER_FLAGS];
  const reasons = [];
  for (const flags of candidates) {
    const r = spawnSync("unshare", [...flags, "--fork", "sh", "-c", `set -e; ${NETNS_PRELUDE}`], {
      stdio: ["ignore", "ignore", "pipe"],
      timeout: 15_000,
      encoding: "utf8",
    });
    if (r.status === 0) return { ok: true, flags };
    const why = r.error ? r.error.message : (r.stderr || `exit ${r.status}`).trim().split("\n")[0];
    reasons.push(`unshare ${flags.join(" ")}: ${why}`);
  }
  return { ok: false, reason: reasons.join("; ") };
}

/**
 * @param {string} command
 * @param {string[]} [args]
 * @param {{
 *   onFallback?: (reason: string) => void,
 *   env?: NodeJS.ProcessEnv,
 *   cwd?: string,
 *   stdio?: import("node:child_process").StdioOptions,
 *   forceNew?: boolean,
 * }} [opts]
 * @returns {Promise<{ code: number | null, signal: NodeJS.Signals | null, isolated: boolean }>}
 */
export async function runInPrivateNetns(command, args = [], opts = {}) {
  const env = { ...(opts.env ?? process.env) };
  const onFallback = opts.onFallback ?? defaultFallback;
  let argv;
  let isolated = true;
  if (!opts.forceNew && isInsidePrivateNetns(env)) {
    argv = [command, ...args];
  } else if (env.SWEEPHUB_NO_NETNS === "1") {
    isolated = false;
    onFallback("SWEEPHUB_NO_NETNS=1 is set");
  } else {
    const probe = probePrivateNetns();
    if (probe.ok) {
      argv = [
        "unshare",
        ...probe.flags,
        "--fork",
        "--kill-child=SIGTERM",
        "sh",
        "-c",
        `set -e; ${NETNS_PRELUDE}; exec "$@"`,
        "sweephub-netns",
        command,
        ...args,
      ];
    } else {
      isolated = false;
      onFallback(probe.reason);
    }
  }
  if (isolated) env.SWEEPHUB_NETNS = "1";
  else {
    delete env.SWEEPHUB_NETNS;
    argv = [command, ...args];
  }
  return run(argv, { env, cwd: opts.cwd, stdio: opts.stdio ?? "inherit" }, isolated);
}

function defaultFallback(reason) {
  console.error(
    `[netns] No private network namespace (${reason}); running on the host network, so mDNS may reach the LAN.`,
  );
}

function run(argv, spawnOpts, isolated) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(argv[0], argv.slice(1), spawnOpts);
    // Ctrl-C reaches the whole process group anyway; SIGTERM from a supervisor only reaches us.
    const forward = (signal) => child.kill(signal);
    const signals = ["SIGINT", "SIGTERM", "SIGHUP"];
    for (const s of signals) process.on(s, forward);
    const cleanup = () => {
      for (const s of signals) process.off(s, forward);
    };
    child.on("error", (err) => {
      cleanup();
      reject(err);
    });
    child.on("exit", (code, signal) => {
      cleanup();
      resolvePromise({ code, signal, isolated });
    });
  });
}

const invokedDirectly = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const [command, ...args] = process.argv.slice(2);
  if (!command) {
    console.error("usage: node scripts/netns.mjs <command> [args...]");
    process.exit(2);
  }
  const { code, signal } = await runInPrivateNetns(command, args);
  if (signal) process.kill(process.pid, signal);
  process.exit(code ?? 1);
}
