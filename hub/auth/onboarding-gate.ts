/**
 * Who may create the owner account. From this machine (loopback) anyone may: they could read the data folder
 * anyway. From the network, the first person to find a fresh hub must not become its owner, so they need the
 * onboarding code the hub writes (0600) to `data/onboarding-code.txt` while it has no owner; the log names
 * the file, never the code.
 */
import { randomInt, timingSafeEqual } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HubError } from "../core/errors.ts";
import type { Logger } from "../logging.ts";

export const ONBOARDING_CODE_FILE = "onboarding-code.txt";

export class OnboardingGate {
  readonly #file: string;
  readonly #log: Logger;
  #code: string | null = null;

  constructor(dataDir: string, log: Logger) {
    this.#file = join(dataDir, ONBOARDING_CODE_FILE);
    this.#log = log;
  }

  get file(): string {
    return this.#file;
  }

  /** Called at start while the hub has no owner: keeps an existing code, or writes a new one. */
  prepare(): void {
    if (existsSync(this.#file)) this.#code = readFileSync(this.#file, "utf8").trim();
    if (!this.#code || !/^[0-9]{8}$/.test(this.#code)) {
      this.#code = String(randomInt(10_000_000, 100_000_000));
      writeFileSync(this.#file, `${this.#code}\n`, { mode: 0o600 });
    }
    this.#log.info(
      { file: this.#file },
      "no owner yet: open the dashboard to create one (from another computer you need the code in this file)",
    );
  }

  check(ip: string, code: string | undefined): void {
    if (isLoopback(ip)) return;
    if (!this.#code || code === undefined) throw new HubError("onboarding_code_required");
    const a = Buffer.from(code.replace(/\D/g, ""));
    const b = Buffer.from(this.#code);
    if (a.length !== b.length || !timingSafeEqual(a, b))
      throw new HubError("onboarding_code_required", "The onboarding code is wrong");
  }

  done(): void {
    this.#code = null;
    rmSync(this.#file, { force: true });
  }
}

export function isLoopback(ip: string): boolean {
  return ip === "::1" || ip.startsWith("127.") || ip.startsWith("::ffff:127.");
}
