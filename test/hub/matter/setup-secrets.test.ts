import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  isValidPasscode,
  nextDiscriminator,
  nextPort,
  randomPasscode,
} from "../../../hub/matter/setup-secrets.ts";

describe("Matter setup secrets", () => {
  it("never hands out a forbidden or well-known passcode", () => {
    const draws = [20202021, 11111111, 12345678, 0, 34970112];
    let i = 0;
    assert.equal(
      randomPasscode(() => draws[i++] as number),
      34970112,
    );
    assert.equal(isValidPasscode(20202021), false);
    assert.equal(isValidPasscode(99999999), false);
    for (let n = 0; n < 200; n++) assert.ok(isValidPasscode(randomPasscode()));
  });

  it("spreads discriminators over the 16 short discriminators before reusing one", () => {
    const used: number[] = [];
    for (let n = 0; n < 16; n++) used.push(nextDiscriminator(used));
    assert.equal(new Set(used.map((d) => d >> 8)).size, 16);
    for (const d of used) assert.ok(d >= 0 && d <= 4095);
  });

  it("takes the lowest free port from the base", () => {
    assert.equal(nextPort(5540, []), 5540);
    assert.equal(nextPort(5540, [5540, 5542]), 5541);
    assert.throws(() => nextPort(65535, [65535]), RangeError);
  });
});
