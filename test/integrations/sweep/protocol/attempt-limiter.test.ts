import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  AttemptLimiter,
  KeyedAttemptLimiter,
} from "../../../../integrations/sweep/protocol/attempt-limiter.ts";

function fakeClock(start = 1_000_000) {
  let time = start;
  return {
    now: () => time,
    advance(ms: number) {
      time += ms;
    },
  };
}

describe("AttemptLimiter", () => {
  test("free attempts, then lockouts doubling from 30 s up to an hour", () => {
    const clock = fakeClock();
    const limiter = new AttemptLimiter({ now: clock.now });
    for (let i = 1; i <= 4; i++) {
      limiter.recordFailure();
      assert.deepEqual(limiter.check(), { allowed: true }, `after failure ${i}`);
    }
    const expected = [30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000];
    for (const lockout of expected) {
      limiter.recordFailure();
      assert.deepEqual(limiter.check(), { allowed: false, retryAfterMs: lockout });
      clock.advance(lockout - 1);
      assert.deepEqual(limiter.check(), { allowed: false, retryAfterMs: 1 });
      clock.advance(1);
      assert.deepEqual(limiter.check(), { allowed: true });
    }
    assert.equal(limiter.failures, 4 + expected.length);
  });

  test("success resets the count and lifts a lockout", () => {
    const clock = fakeClock();
    const limiter = new AttemptLimiter({
      now: clock.now,
      freeAttempts: 2,
      baseLockoutMs: 1_000,
      maxLockoutMs: 10_000,
    });
    limiter.recordFailure();
    limiter.recordFailure();
    assert.equal(limiter.check().allowed, false);
    limiter.recordSuccess();
    assert.deepEqual(limiter.check(), { allowed: true });
    assert.equal(limiter.failures, 0);
    limiter.recordFailure();
    assert.deepEqual(limiter.check(), { allowed: true }, "back to free attempts");
    limiter.recordFailure();
    assert.deepEqual(limiter.check(), { allowed: false, retryAfterMs: 1_000 }, "and the base lockout");
  });

  test("a clock that jumps backwards cannot lock longer than the maximum", () => {
    const clock = fakeClock();
    const limiter = new AttemptLimiter({
      now: clock.now,
      freeAttempts: 1,
      baseLockoutMs: 1_000,
      maxLockoutMs: 5_000,
    });
    limiter.recordFailure();
    clock.advance(-1_000_000);
    assert.deepEqual(limiter.check(), { allowed: false, retryAfterMs: 5_000 });
  });

  test("rejects nonsensical options", () => {
    const { now } = fakeClock();
    assert.throws(() => new AttemptLimiter({ now, freeAttempts: 0 }), RangeError);
    assert.throws(() => new AttemptLimiter({ now, baseLockoutMs: 0 }), RangeError);
    assert.throws(() => new AttemptLimiter({ now, baseLockoutMs: 10, maxLockoutMs: 5 }), RangeError);
  });
});

describe("KeyedAttemptLimiter", () => {
  test("keys are limited independently and success forgets a key", () => {
    const clock = fakeClock();
    const limiter = new KeyedAttemptLimiter({ now: clock.now, freeAttempts: 2, baseLockoutMs: 1_000 });
    limiter.recordFailure("alice");
    limiter.recordFailure("alice");
    assert.deepEqual(limiter.check("alice"), { allowed: false, retryAfterMs: 1_000 });
    assert.deepEqual(limiter.check("bob"), { allowed: true });
    limiter.recordFailure("bob");
    assert.deepEqual(limiter.check("bob"), { allowed: true });
    assert.equal(limiter.size, 2);
    limiter.recordSuccess("alice");
    assert.deepEqual(limiter.check("alice"), { allowed: true });
    assert.equal(limiter.size, 1);
  });

  test("idle entries are pruned, locked or recent ones kept", () => {
    const clock = fakeClock();
    const limiter = new KeyedAttemptLimiter({
      now: clock.now,
      freeAttempts: 1,
      baseLockoutMs: 1_000,
      maxLockoutMs: 60_000,
      idleMs: 10_000,
    });
    for (let i = 0; i < 5; i++) limiter.recordFailure("locked"); // lockout 16 s
    clock.advance(1);
    limiter.recordFailure("recent");
    clock.advance(12_000);
    limiter.prune();
    assert.equal(limiter.size, 2, "locked until 16 s: not idle, and it stops the scan");
    clock.advance(5_000);
    limiter.prune();
    assert.equal(limiter.size, 0);
    assert.deepEqual(limiter.check("locked"), { allowed: true });
  });

  test("memory is bounded: the least recently failed key goes first", () => {
    const clock = fakeClock();
    const limiter = new KeyedAttemptLimiter({ now: clock.now, maxEntries: 3 });
    for (const key of ["a", "b", "c"]) {
      limiter.recordFailure(key);
      clock.advance(1);
    }
    limiter.recordFailure("a"); // a is now the most recent
    limiter.recordFailure("d");
    assert.equal(limiter.size, 3);
    for (let i = 0; i < 5; i++) limiter.recordFailure("a");
    assert.equal(limiter.check("a").allowed, false, "a survived the eviction of b");
    limiter.recordFailure("e");
    limiter.recordFailure("f");
    assert.equal(limiter.check("a").allowed, false, "a is recent, c and d were evicted");
    assert.equal(limiter.size, 3);
  });
});
