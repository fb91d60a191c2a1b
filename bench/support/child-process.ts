/**
 * Starting a TypeScript helper (through tsx) as a child process and reading its first stdout line.
 * `BENCH_CHILD_NODE_ARGS` adds node options to the children, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to
 * profile the robots' side (node refuses --cpu-prof in NODE_OPTIONS).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

export interface Child {
  process: ChildProcess;
  firstLine: string;
  stop(): Promise<void>;
}

export function startTsChild(
  file: string,
  args: string[],
  timeoutMs = 30_000,
  nodeArgs: string[] = [],
): Promise<Child> {
  const extra = process.env.BENCH_CHILD_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...extra, ...nodeArgs, "--import", "tsx", file, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
    });
  return new Promise<Child>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${file} did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited with ${code} before it was ready`));
    });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once("line", (line) => {
      clearTimeout(timer);
      child.removeAllListeners("exit");
      resolve({ process: child, firstLine: line, stop });
    });
  });
}
