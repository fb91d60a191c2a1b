import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RECONNECT_MAX_MS, RECONNECT_MIN_MS, reconnectDelay } from "../../../web/src/data/reconnect.ts";

describe("reconnect backoff", () => {
  it("grows exponentially with jitter and stays within bounds", () => {
    assert.equal(
      reconnectDelay(0, () => 0),
      RECONNECT_MIN_MS / 2,
    );
    assert.equal(
      reconnectDelay(0, () => 1),
      RECONNECT_MIN_MS,
    );
    assert.equal(
      reconnectDelay(2, () => 1),
      RECONNECT_MIN_MS * 4,
    );
    for (let attempt = 0; attempt < 40; attempt++) {
      const d = reconnectDelay(attempt);
      assert.ok(d >= RECONNECT_MIN_MS / 2 && d <= RECONNECT_MAX_MS, `attempt ${attempt}: ${d}`);
    }
    assert.equal(
      reconnectDelay(100, () => 1),
      RECONNECT_MAX_MS,
    );
  });
});
