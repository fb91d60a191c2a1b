/**
 * docs/protocol.md is the specification robot makers implement from, so it must not drift from the schemas:
 * every method (with its capability and pairing rule), event, capability, error code and limit of the code
 * has to be in it.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  HEARTBEAT_INTERVAL_MS,
  HEARTBEAT_TIMEOUT_MS,
  MAX_TEXT_FRAME_BYTES,
  MAX_WIRE_FRAME_BYTES,
  PAIRING_PBKDF_ITERATIONS,
  PROTOCOL_PATH,
  ROBOT_SERVICE_TYPE,
  SETUP_CODE_DIGITS,
} from "../../integrations/sweep/protocol/constants.ts";
import { PROTOCOL_ERROR_CODES } from "../../integrations/sweep/protocol/errors.ts";
import { CAPABILITIES, EVENTS, METHODS } from "../../integrations/sweep/protocol/methods.ts";
import {
  CLEAN_MODES,
  CONSUMABLE_IDS,
  FAN_SPEEDS,
  ROBOT_FAULTS,
  ROBOT_STATUSES,
  WATER_LEVELS,
} from "../../integrations/sweep/protocol/robot-state.ts";
import { robotTxt } from "../../integrations/sweep/simulator/advertiser.ts";

const doc = readFileSync(new URL("../../docs/protocol.md", import.meta.url), "utf8");
const mentions = (name: string) => doc.includes(`\`${name}\``);
const missing = (names: Iterable<string>) => [...names].filter((n) => !mentions(n));

const methodsSection = doc.slice(doc.indexOf("### 4.2 Methods"), doc.indexOf("### 4.3 Events"));

/** The cells of the row of the methods table (§4.2) that starts with `method`. */
function methodRow(method: string): string[] | undefined {
  const line = methodsSection.split("\n").find((l) => l.startsWith(`| \`${method}\` `));
  return line
    ?.split(/(?<!\\)\|/)
    .slice(1, -1)
    .map((c) => c.trim());
}

describe("docs/protocol.md", () => {
  it("documents every method with its capability and whether it is allowed before pairing", () => {
    for (const [name, spec] of Object.entries(METHODS)) {
      const row = methodRow(name);
      assert.ok(row, `method ${name} has no row in the methods table`);
      const [, capability, beforePairing] = row;
      if (spec.capability) assert.equal(capability, `\`${spec.capability}\``, `capability of ${name}`);
      else assert.match(capability, /^-/, `${name} needs no capability`);
      assert.equal(beforePairing, spec.beforePairing ? "yes" : "no", `"before pairing" of ${name}`);
    }
  });

  it("documents every event, capability and error code", () => {
    assert.deepEqual(missing(Object.keys(EVENTS)), [], "events missing");
    assert.deepEqual(missing(CAPABILITIES), [], "capabilities missing");
    assert.deepEqual(missing(PROTOCOL_ERROR_CODES), [], "error codes missing");
    for (const code of PROTOCOL_ERROR_CODES) {
      assert.ok(doc.includes(`| \`${code}\``), `error code ${code} has no row in the errors table`);
    }
  });

  it("documents every enum value of the state model", () => {
    const enums = [
      ROBOT_STATUSES,
      FAN_SPEEDS,
      WATER_LEVELS,
      CLEAN_MODES,
      ROBOT_FAULTS,
      CONSUMABLE_IDS,
    ].flat();
    assert.deepEqual(missing(enums), [], "enum values missing");
  });

  it("documents every TXT key of the mDNS announcement and the transport constants", () => {
    const txt = robotTxt({
      id: "x",
      name: "x",
      model: "x",
      port: 1,
      paired: false,
      fingerprint: "a".repeat(64),
    });
    assert.deepEqual(missing(Object.keys(txt)), [], "TXT keys missing");
    assert.ok(mentions(`_${ROBOT_SERVICE_TYPE}._tcp`), "service type");
    assert.ok(mentions(PROTOCOL_PATH), "WebSocket path");
    const number = (n: number) => n.toLocaleString("en-US");
    assert.ok(doc.includes(number(MAX_TEXT_FRAME_BYTES)), "text frame limit");
    assert.ok(doc.includes(number(MAX_WIRE_FRAME_BYTES)), "wire frame limit");
    assert.ok(doc.includes(number(PAIRING_PBKDF_ITERATIONS)), "PBKDF2 iterations");
    assert.ok(doc.includes(`every ${HEARTBEAT_INTERVAL_MS / 1000} s`), "heartbeat interval");
    assert.ok(doc.includes(`${HEARTBEAT_TIMEOUT_MS / 1000} s`), "heartbeat timeout");
    assert.ok(doc.includes(`Exactly **${SETUP_CODE_DIGITS} decimal digits**`), "setup code length");
  });
});
