/**
 * Risk control for guessable secrets (passwords, invitation codes, robot setup codes): progressive lockout per
 * client address and per account, built on the protocol's KeyedAttemptLimiter (5 free failures, then 30 s,
 * 60 s, 120 s ... up to an hour with the defaults; config `accounts.*`). Both keys are checked before the
 * attempt, so a guesser cannot dodge the account lock by changing address or the address lock by changing
 * account.
 */
import { KeyedAttemptLimiter } from "../../integrations/sweep/protocol/attempt-limiter.ts";
import { HubError } from "../core/errors.ts";

export interface RiskPolicy {
  freeAttempts: number;
  lockoutMs: number;
  maxLockoutMs: number;
  /** Monotonic clock (performance.now in production, so a wall-clock jump cannot lift a lock; fake in tests). */
  now: () => number;
}

export class RiskGuard {
  readonly #byIp: KeyedAttemptLimiter;
  readonly #byAccount: KeyedAttemptLimiter;
  readonly #what: string;

  constructor(policy: RiskPolicy, what: string) {
    const opts = {
      now: policy.now,
      freeAttempts: policy.freeAttempts,
      baseLockoutMs: policy.lockoutMs,
      maxLockoutMs: Math.max(policy.lockoutMs, policy.maxLockoutMs),
    };
    this.#byIp = new KeyedAttemptLimiter(opts);
    this.#byAccount = new KeyedAttemptLimiter(opts);
    this.#what = what;
  }

  /** Throws too_many_attempts (429, with retryAfterS) when either key is locked. */
  check(ip: string, account?: string): void {
    const a = this.#byIp.check(ip);
    const b =
      account === undefined ? { allowed: true as const } : this.#byAccount.check(account.toLowerCase());
    const waitMs = Math.max(a.allowed ? 0 : a.retryAfterMs, b.allowed ? 0 : b.retryAfterMs);
    if (waitMs > 0) {
      const retryAfterS = Math.ceil(waitMs / 1000);
      throw new HubError(
        "too_many_attempts",
        `Too many failed ${this.#what} attempts; try again in ${formatWait(retryAfterS)}`,
        { retryAfterS },
      );
    }
  }

  /** Counts a failure; true when this failure started (or extended) a lockout of the account. */
  failure(ip: string, account?: string): boolean {
    this.#byIp.recordFailure(ip);
    if (account === undefined) return false;
    const key = account.toLowerCase();
    this.#byAccount.recordFailure(key);
    return !this.#byAccount.check(key).allowed;
  }

  success(ip: string, account?: string): void {
    this.#byIp.recordSuccess(ip);
    if (account !== undefined) this.#byAccount.recordSuccess(account.toLowerCase());
  }
}

function formatWait(s: number): string {
  if (s < 90) return `${s} s`;
  return `${Math.ceil(s / 60)} min`;
}
