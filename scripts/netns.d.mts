import type { StdioOptions } from "node:child_process";

/** Shell commands run first inside the namespace: loopback up with multicast routed to it. */
export declare const NETNS_PRELUDE: string;

export interface RunInPrivateNetnsOptions {
  /** Told why isolation is not possible; by default one line is printed to stderr. */
  onFallback?: (reason: string) => void;
  /** Environment for the command (default process.env); SWEEPHUB_NETNS=1 is added when isolated. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Default "inherit". */
  stdio?: StdioOptions;
  /** Make a new namespace even when already inside one. */
  forceNew?: boolean;
}

export interface NetnsRunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** False when the command ran on the host network. */
  isolated: boolean;
}

export declare function isInsidePrivateNetns(env?: NodeJS.ProcessEnv): boolean;
export declare function probePrivateNetns(): { ok: true; flags: string[] } | { ok: false; reason: string };
export declare function runInPrivateNetns(
  command: string,
  args?: string[],
  opts?: RunInPrivateNetnsOptions,
): Promise<NetnsRunResult>;
