import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  formatSetupCode,
  generateSetupCode,
  isTrivialSetupCode,
  normalizeSetupCode,
} from "../../../../integrations/sweep/protocol/setup-code.ts";

describe("setup codes", () => {
  test("generated codes are 8 random digits and never trivial", () => {
    const codes = Array.from({ length: 500 }, generateSetupCode);
    for (const code of codes) {
      assert.match(code, /^[0-9]{8}$/);
      assert.equal(isTrivialSetupCode(code), false, code);
    }
    // 500 draws from ~10^8 codes: a collision would mean the generator is not random.
    assert.equal(new Set(codes).size, codes.length);
    // Every digit shows up in every position over 500 codes unless the generator is biased or stuck.
    for (let position = 0; position < 8; position++) {
      assert.equal(new Set(codes.map((c) => c[position])).size, 10, `position ${position}`);
    }
  });

  test("trivial codes: Matter's invalid passcodes and runs of consecutive digits", () => {
    const trivial = [
      "00000000",
      "11111111",
      "55555555",
      "99999999",
      "12345678",
      "87654321",
      "01234567",
      "23456789",
      "98765432",
      "76543210",
    ];
    for (const code of trivial) assert.equal(isTrivialSetupCode(code), true, code);
    for (const code of ["12345679", "00000001", "13579246", "20202020", "12121212", "02468024"]) {
      assert.equal(isTrivialSetupCode(code), false, code);
    }
    // Not even a code.
    for (const code of ["1234567", "123456789", "1234-5678", ""])
      assert.equal(isTrivialSetupCode(code), true);
  });

  test("normalize strips spaces and dashes and wants exactly 8 digits", () => {
    assert.equal(normalizeSetupCode("1234-5678"), "12345678");
    assert.equal(normalizeSetupCode(" 1234 5678 "), "12345678");
    assert.equal(normalizeSetupCode("12-34-56-78"), "12345678");
    assert.equal(normalizeSetupCode("01234569"), "01234569");
    for (const bad of [
      "",
      "1234567",
      "123456789",
      "1234a678",
      "1234_5678",
      "１２３４５６７８",
      "+12345678",
      "1.2345678",
    ]) {
      assert.equal(normalizeSetupCode(bad), null, bad);
    }
  });

  test("format groups 4-4 and refuses non-codes", () => {
    assert.equal(formatSetupCode("12345678"), "1234-5678");
    assert.equal(formatSetupCode("0123 4567"), "0123-4567");
    assert.throws(() => formatSetupCode("1234567"), RangeError);
  });
});
