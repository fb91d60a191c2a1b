/**
 * Online-guessing brake (PAIRING-NOTES §5): a few free attempts, then lockouts that double with each further
 * failure. Robots use one for pairing; the hub keys them (per account, per address) for logins.
 *
 * Give it a monotonic clock (`performance.now`) in production so a wall-clock jump cannot lift a lockout
 * early; tests give a fake one.
 */

export interface AttemptLimiterOptions {
  now: () => number;
  /** Consecutive failures that cost nothing; the failure that uses up the last free one starts a lockout. */
  freeAttempts?: number;
  /** Lockout after failure number `freeAttempts`; doubles with every further failure... */
  baseLockoutMs?: number;
  /** ...up to this. */
  maxLockoutMs?: number;
}

export type AttemptCheck = { allowed: true } | { allowed: false; retryAfterMs: number };

export class AttemptLimiter {
  readonly #now: () => number;
  readonly #freeAttempts: number;
  readonly #baseLockoutMs: number;
  readonly #maxLockoutMs: number;
  #failures = 0;
  #lockedUntil = Number.NEGATIVE_INFINITY;
  #lastFailureAt = Number.NEGATIVE_INFINITY;

  constructor({
    now,
    freeAttempts = 5,
    baseLockoutMs = 30_000,
    maxLockoutMs = 3_600_000,
  }: AttemptLimiterOptions) {
    if (!Number.isInteger(freeAttempts) || freeAttempts < 1)
      throw new RangeError("freeAttempts must be >= 1");
    if (!(baseLockoutMs > 0) || !(maxLockoutMs >= baseLockoutMs)) {
      throw new RangeError("need 0 < baseLockoutMs <= maxLockoutMs");
    }
    this.#now = now;
    this.#freeAttempts = freeAttempts;
    this.#baseLockoutMs = baseLockoutMs;
    this.#maxLockoutMs = maxLockoutMs;
  }

  /** Consecutive failures since the last success. */
  get failures(): number {
    return this.#failures;
  }

  /** Ask before every attempt; a refused attempt must not be tried (and is not counted). */
  check(): AttemptCheck {
    const remaining = this.#lockedUntil - this.#now();
    if (remaining <= 0) return { allowed: true };
    // Capped so that a clock that went backwards cannot lock for longer than the policy allows.
    return { allowed: false, retryAfterMs: Math.ceil(Math.min(remaining, this.#maxLockoutMs)) };
  }

  /**
   * Count a failed attempt. With the defaults, failures 1-4 are free, failure 5 locks for 30 s, failure 6 for
   * 60 s, then 120 s ... up to an hour.
   *
   * For a PAKE, count the attempt *before* the step that lets the peer test a guess offline (the robot sends
   * its confirmation cB before it sees the hub's cA), and call `recordSuccess()` only once pairing completed:
   * otherwise a guesser who drops the connection after cB is never counted.
   */
  recordFailure(): void {
    const now = this.#now();
    this.#failures += 1;
    this.#lastFailureAt = now;
    const beyondFree = this.#failures - this.#freeAttempts;
    if (beyondFree >= 0) {
      const lockout = Math.min(this.#maxLockoutMs, this.#baseLockoutMs * 2 ** Math.min(beyondFree, 52));
      this.#lockedUntil = Math.max(this.#lockedUntil, now + lockout);
    }
  }

  /** A correct attempt wipes the slate. */
  recordSuccess(): void {
    this.#failures = 0;
    this.#lockedUntil = Number.NEGATIVE_INFINITY;
    this.#lastFailureAt = Number.NEGATIVE_INFINITY;
  }

  /** Not locked and no failure for `idleMs`: forgetting this limiter changes nothing worth keeping. */
  isIdle(idleMs: number): boolean {
    const now = this.#now();
    return now >= this.#lockedUntil && now - this.#lastFailureAt >= idleMs;
  }
}

export interface KeyedAttemptLimiterOptions extends AttemptLimiterOptions {
  /** Entries without a failure for this long (and not locked) are dropped; default `maxLockoutMs`. */
  idleMs?: number;
  /**
   * Bound on remembered keys, so that an attacker cycling through keys cannot grow the map without limit.
   * When full, the least recently failed key is forgotten even if it is still locked.
   */
  maxEntries?: number;
}

/** One `AttemptLimiter` per key (user name, remote address ...), created on first failure. */
export class KeyedAttemptLimiter<K = string> {
  readonly #options: AttemptLimiterOptions;
  readonly #idleMs: number;
  readonly #maxEntries: number;
  /** In order of last failure, oldest first (an entry is moved to the end on every failure). */
  readonly #limiters = new Map<K, AttemptLimiter>();

  constructor({ idleMs, maxEntries = 10_000, ...options }: KeyedAttemptLimiterOptions) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError("maxEntries must be >= 1");
    // Constructing one validates the shared options up front rather than on the first failure.
    new AttemptLimiter(options);
    this.#options = options;
    this.#idleMs = idleMs ?? options.maxLockoutMs ?? 3_600_000;
    this.#maxEntries = maxEntries;
  }

  get size(): number {
    return this.#limiters.size;
  }

  check(key: K): AttemptCheck {
    return this.#limiters.get(key)?.check() ?? { allowed: true };
  }

  recordFailure(key: K): void {
    let limiter = this.#limiters.get(key);
    if (limiter) {
      this.#limiters.delete(key);
    } else {
      limiter = new AttemptLimiter(this.#options);
    }
    limiter.recordFailure();
    this.#limiters.set(key, limiter);
    this.prune();
    while (this.#limiters.size > this.#maxEntries) {
      const oldest = this.#limiters.keys().next().value as K;
      this.#limiters.delete(oldest);
    }
  }

  recordSuccess(key: K): void {
    this.#limiters.delete(key);
  }

  /** Drop idle entries. Cheap: they sit at the front of the map, so this stops at the first busy one. */
  prune(): void {
    for (const [key, limiter] of this.#limiters) {
      if (!limiter.isIdle(this.#idleMs)) break;
      this.#limiters.delete(key);
    }
  }
}
