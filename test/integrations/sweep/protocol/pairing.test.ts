import assert from "node:assert/strict";
import nodeCrypto, { createHash, randomBytes } from "node:crypto";
import { before, describe, test } from "node:test";
import { Bytes, NodeJsStyleCrypto, Spake2p } from "@matter/general";
import { PAIRING_PBKDF_ITERATIONS } from "../../../../integrations/sweep/protocol/constants.ts";
import { createIdentity, normalizeFingerprint } from "../../../../integrations/sweep/protocol/identity.ts";
import {
  createVerifier,
  PairingError,
  PairingProver,
  PairingVerifier,
  pairingContext,
  type StoredVerifier,
} from "../../../../integrations/sweep/protocol/pairing.ts";
import { mutualTlsHandshake } from "../../../support/tls-handshake.ts";

const CODE = "40718263";
const WRONG_CODE = "40718264";
/** Matter's minimum, to keep the many derivations below fast; one test uses the real default. */
const FAST_ITERATIONS = 1_000;

const fingerprint = () => randomBytes(32).toString("hex");
const HUB = fingerprint();
const ROBOT = fingerprint();

let stored: StoredVerifier;
before(async () => {
  stored = await createVerifier(CODE, FAST_ITERATIONS);
});

interface Side {
  hubFingerprint: string;
  robotFingerprint: string;
}

/** The honest message flow: pair.start, pair.exchange, pair.confirm. */
async function pair(code: string, verifier: StoredVerifier, hubSaw: Side, robotSaw: Side) {
  const prover = new PairingProver({ code, ...hubSaw });
  const robot = new PairingVerifier({ verifier, ...robotSaw });
  const { pA } = await prover.exchange(verifier.salt, verifier.iterations);
  const { pB, cB } = await robot.respond(pA);
  const { cA } = await prover.confirm(pB, cB);
  await robot.finish(cA);
  return { pA, pB, cB, cA };
}

/**
 * A prover that skips the cB check and sends its cA anyway, built from Spake2p directly: what an attacker
 * guessing the code (or a relay) can do. Shows the verifier refuses on its own, not thanks to the hub.
 */
async function rogueProver(code: string, verifier: StoredVerifier, context: Buffer, robot: PairingVerifier) {
  const crypto = new NodeJsStyleCrypto(nodeCrypto);
  const pbkdf = { salt: Buffer.from(verifier.salt, "base64"), iterations: verifier.iterations };
  const { w0, w1 } = await Spake2p.computeW0W1(crypto, pbkdf, Number(code));
  const spake = Spake2p.create(crypto, context, w0);
  const X = Bytes.of(spake.computeX());
  const { pB } = await robot.respond(Buffer.from(X).toString("base64"));
  const { hAY } = await spake.computeSecretAndVerifiersFromY(w1, X, Buffer.from(pB, "base64"));
  return robot.finish(Buffer.from(Bytes.of(hAY)).toString("base64"));
}

function isPairingError(error: unknown): boolean {
  assert.ok(error instanceof PairingError, `expected PairingError, got ${String(error)}`);
  assert.equal(error.code, "pairing_failed");
  assert.equal(error.message, new PairingError().message, "one message for every failure");
  return true;
}

describe("createVerifier", () => {
  test("stores salt, iterations, w0 and L, and not the code", async () => {
    const verifier = await createVerifier(CODE);
    assert.equal(verifier.iterations, PAIRING_PBKDF_ITERATIONS);
    assert.equal(Buffer.from(verifier.salt, "base64").length, 32);
    assert.match(verifier.w0, /^[0-9a-f]{64}$/);
    const L = Buffer.from(verifier.L, "base64");
    assert.equal(L.length, 65);
    assert.equal(L[0], 0x04);
    assert.deepEqual(Object.keys(verifier).sort(), ["L", "iterations", "salt", "w0"]);
    const json = JSON.stringify(verifier);
    assert.ok(!json.includes(CODE) && !json.includes(Number(CODE).toString(16)), "the code is not stored");
    assert.deepEqual(JSON.parse(json), verifier);
  });

  test("a fresh salt every time", async () => {
    const again = await createVerifier(CODE, FAST_ITERATIONS);
    assert.notEqual(again.salt, stored.salt);
    assert.notEqual(again.w0, stored.w0);
  });

  test("refuses malformed codes and iteration counts without quoting the code", async () => {
    for (const code of ["1234567", "123456789", "abcdefgh", ""]) {
      await assert.rejects(createVerifier(code, FAST_ITERATIONS), (error: Error) => {
        assert.ok(error instanceof RangeError);
        assert.ok(code === "" || !error.message.includes(code));
        return true;
      });
    }
    for (const iterations of [999, 100_001, 1.5, Number.NaN]) {
      await assert.rejects(createVerifier(CODE, iterations), RangeError);
    }
  });
});

describe("pairingContext", () => {
  test("SHA-256 over label, hub and robot fingerprints, NUL separated", () => {
    const expected = createHash("sha256").update(`SweepLocalProtocol/1 pairing\0${HUB}\0${ROBOT}`).digest();
    assert.deepEqual(pairingContext(HUB, ROBOT), expected);
    assert.equal(pairingContext(HUB, ROBOT).length, 32);
  });

  test("Node's colon form gives the same context; the order of the roles matters", () => {
    const colons = (fp: string) => fp.toUpperCase().match(/../g)?.join(":") ?? "";
    assert.deepEqual(pairingContext(colons(HUB), colons(ROBOT)), pairingContext(HUB, ROBOT));
    assert.notDeepEqual(pairingContext(ROBOT, HUB), pairingContext(HUB, ROBOT));
    assert.throws(() => pairingContext("not a fingerprint", ROBOT), RangeError);
  });
});

describe("pairing", () => {
  const direct = { hubFingerprint: HUB, robotFingerprint: ROBOT };

  test("the right code pairs; both confirmations verify", async () => {
    const { pA, pB, cA, cB } = await pair(CODE, stored, direct, direct);
    assert.equal(Buffer.from(pA, "base64").length, 65);
    assert.equal(Buffer.from(pB, "base64").length, 65);
    assert.equal(Buffer.from(cA, "base64").length, 32);
    assert.equal(Buffer.from(cB, "base64").length, 32);
  });

  test("works with the default iteration count, the code as typed and Node's fingerprint form", async () => {
    const verifier = await createVerifier(CODE);
    const nodeForm = (fp: string) => fp.toUpperCase().match(/../g)?.join(":") ?? "";
    await pair("4071-8263", verifier, { hubFingerprint: nodeForm(HUB), robotFingerprint: ROBOT }, direct);
  });

  test("codes with a leading zero work", async () => {
    const verifier = await createVerifier("01928374", FAST_ITERATIONS);
    await pair("0192 8374", verifier, direct, direct);
    await assert.rejects(pair("10928374", verifier, direct, direct), isPairingError);
  });

  test("wrong code: the hub's confirm rejects cB, so it never sends cA", async () => {
    const prover = new PairingProver({ code: WRONG_CODE, ...direct });
    const robot = new PairingVerifier({ verifier: stored, ...direct });
    const { pA } = await prover.exchange(stored.salt, stored.iterations);
    const { pB, cB } = await robot.respond(pA);
    await assert.rejects(prover.confirm(pB, cB), isPairingError);
    // Without cA the robot cannot complete; whatever it is sent instead is refused.
    await assert.rejects(robot.finish(randomBytes(32).toString("base64")), isPairingError);
  });

  test("wrong code: the robot refuses a cA from a prover that ignores the cB check", async () => {
    const robot = new PairingVerifier({ verifier: stored, ...direct });
    await assert.rejects(rogueProver(WRONG_CODE, stored, pairingContext(HUB, ROBOT), robot), isPairingError);
    // The same rogue prover with the right code passes: the refusal above is about the code.
    const honest = new PairingVerifier({ verifier: stored, ...direct });
    await rogueProver(CODE, stored, pairingContext(HUB, ROBOT), honest);
  });

  test("relay with its own certificates: both confirmations fail even with the right code", async () => {
    const relayToRobot = fingerprint(); // the client certificate the relay shows the robot
    const relayToHub = fingerprint(); // the server certificate the relay shows the hub
    const hubSaw = { hubFingerprint: HUB, robotFingerprint: relayToHub };
    const robotSaw = { hubFingerprint: relayToRobot, robotFingerprint: ROBOT };
    await assert.rejects(pair(CODE, stored, hubSaw, robotSaw), isPairingError);
    // Only one certificate swapped is enough.
    await assert.rejects(
      pair(CODE, stored, direct, { ...direct, hubFingerprint: relayToRobot }),
      isPairingError,
    );
    await assert.rejects(
      pair(CODE, stored, { ...direct, robotFingerprint: relayToHub }, direct),
      isPairingError,
    );
    // The robot refuses even if the hub's side did not check cB.
    const robot = new PairingVerifier({ verifier: stored, ...robotSaw });
    await assert.rejects(rogueProver(CODE, stored, pairingContext(HUB, relayToHub), robot), isPairingError);
  });

  test("hub and robot fingerprints swapped in the context fail", async () => {
    const swapped = { hubFingerprint: ROBOT, robotFingerprint: HUB };
    await assert.rejects(pair(CODE, stored, direct, swapped), isPairingError);
  });

  test("replaying a recorded pA and cA to a fresh verifier fails", async () => {
    const recorded = await pair(CODE, stored, direct, direct);
    const robot = new PairingVerifier({ verifier: stored, ...direct });
    const { pB } = await robot.respond(recorded.pA);
    assert.notEqual(pB, recorded.pB, "fresh randomness");
    await assert.rejects(robot.finish(recorded.cA), isPairingError);
  });

  test("replaying a recorded pB and cB to a fresh prover fails", async () => {
    const recorded = await pair(CODE, stored, direct, direct);
    const prover = new PairingProver({ code: CODE, ...direct });
    await prover.exchange(stored.salt, stored.iterations);
    await assert.rejects(prover.confirm(recorded.pB, recorded.cB), isPairingError);
  });

  test("a salt or iteration count altered in transit fails", async () => {
    const prover = new PairingProver({ code: CODE, ...direct });
    const robot = new PairingVerifier({ verifier: stored, ...direct });
    const { pA } = await prover.exchange(randomBytes(32).toString("base64"), stored.iterations);
    const { pB, cB } = await robot.respond(pA);
    await assert.rejects(prover.confirm(pB, cB), isPairingError);
  });

  test("each instance is usable once, in order", async () => {
    const robot = new PairingVerifier({ verifier: stored, ...direct });
    const finishFirst = robot.finish(randomBytes(32).toString("base64"));
    await assert.rejects(finishFirst, isPairingError, "finish before respond");
    const { pA: someShare } = await new PairingProver({ code: CODE, ...direct }).exchange(
      stored.salt,
      stored.iterations,
    );
    await assert.rejects(robot.respond(someShare), isPairingError, "dead after a misuse");

    const prover = new PairingProver({ code: CODE, ...direct });
    const verifier = new PairingVerifier({ verifier: stored, ...direct });
    const { pA } = await prover.exchange(stored.salt, stored.iterations);
    const { pB, cB } = await verifier.respond(pA);
    const { cA } = await prover.confirm(pB, cB);
    await verifier.finish(cA);
    await assert.rejects(
      prover.exchange(stored.salt, stored.iterations),
      isPairingError,
      "exchange after the end",
    );
    await assert.rejects(prover.confirm(pB, cB), isPairingError, "second confirm");
    await assert.rejects(verifier.respond(pA), isPairingError, "respond after the end");
    await assert.rejects(verifier.finish(cA), isPairingError, "second finish");

    const early = new PairingProver({ code: CODE, ...direct });
    await assert.rejects(early.confirm(pB, cB), isPairingError, "confirm before exchange");
  });

  test("a step out of order ends the attempt on either side", async () => {
    const prover = new PairingProver({ code: CODE, ...direct });
    const verifier = new PairingVerifier({ verifier: stored, ...direct });
    const { pA } = await prover.exchange(stored.salt, stored.iterations);
    await assert.rejects(prover.exchange(stored.salt, stored.iterations), isPairingError, "second exchange");
    const { pB, cB } = await verifier.respond(pA);
    await assert.rejects(prover.confirm(pB, cB), isPairingError, "the prover is dead");
    await assert.rejects(verifier.respond(pA), isPairingError, "second respond");
    await assert.rejects(
      verifier.finish(randomBytes(32).toString("base64")),
      isPairingError,
      "the verifier is dead",
    );
  });

  test("a failed finish cannot be retried with another guess", async () => {
    const prover = new PairingProver({ code: CODE, ...direct });
    const robot = new PairingVerifier({ verifier: stored, ...direct });
    const { pA } = await prover.exchange(stored.salt, stored.iterations);
    const { pB, cB } = await robot.respond(pA);
    const { cA } = await prover.confirm(pB, cB);
    await assert.rejects(robot.finish(randomBytes(32).toString("base64")), isPairingError);
    await assert.rejects(robot.finish(cA), isPairingError, "the right cA after a wrong one");
  });
});

describe("garbage from the peer is a PairingError, never a crash", () => {
  const direct = { hubFingerprint: HUB, robotFingerprint: ROBOT };
  const point = (first: number, fill: number) => Buffer.alloc(65, fill).fill(first, 0, 1).toString("base64");
  const validPoint = async () => {
    const prover = new PairingProver({ code: CODE, ...direct });
    return (await prover.exchange(stored.salt, stored.iterations)).pA;
  };
  const badPoints = async (): Promise<unknown[]> => {
    const valid = await validPoint();
    return [
      "",
      "!!!!",
      "not base64 at all",
      valid.slice(0, -1), // padding stripped: not canonical
      `${valid}AAAA`,
      valid.replace(/\+/g, "-").replace(/\//g, "_"), // base64url, when it differs
      point(0x04, 0), // (0, 0) is not on the curve
      point(0x04, 0xff), // coordinates beyond the field
      point(0x05, 1),
      Buffer.from(valid, "base64").subarray(0, 33).toString("base64"), // compressed-length
      Buffer.alloc(65).toString("base64"),
      "A".repeat(100_000),
      42,
      null,
      undefined,
      { pA: valid },
    ].filter((candidate) => candidate !== valid);
  };

  test("verifier.respond", async () => {
    for (const pA of await badPoints()) {
      const robot = new PairingVerifier({ verifier: stored, ...direct });
      await assert.rejects(robot.respond(pA as string), isPairingError, `pA=${String(pA).slice(0, 20)}`);
    }
  });

  test("verifier.finish", async () => {
    for (const cA of [
      "",
      "AAAA",
      randomBytes(31).toString("base64"),
      randomBytes(33).toString("base64"),
      7,
      null,
    ]) {
      const robot = new PairingVerifier({ verifier: stored, ...direct });
      await robot.respond(await validPoint());
      await assert.rejects(robot.finish(cA as string), isPairingError);
    }
  });

  test("prover.exchange", async () => {
    const cases: [unknown, unknown][] = [
      ["", stored.iterations],
      [randomBytes(8).toString("base64"), stored.iterations], // salt too short
      [randomBytes(65).toString("base64"), stored.iterations], // salt too long
      ["%%%%", stored.iterations],
      [stored.salt, 0],
      [stored.salt, 999],
      [stored.salt, 1_000_000_000], // a fake robot must not make the hub spin
      [stored.salt, Number.NaN],
      [stored.salt, "1000"],
      [null, stored.iterations],
    ];
    for (const [salt, iterations] of cases) {
      const prover = new PairingProver({ code: CODE, ...direct });
      await assert.rejects(prover.exchange(salt as string, iterations as number), isPairingError);
    }
  });

  test("prover.confirm", async () => {
    const goodCb = randomBytes(32).toString("base64");
    for (const pB of await badPoints()) {
      const prover = new PairingProver({ code: CODE, ...direct });
      await prover.exchange(stored.salt, stored.iterations);
      await assert.rejects(prover.confirm(pB as string, goodCb), isPairingError);
    }
    const prover = new PairingProver({ code: CODE, ...direct });
    await prover.exchange(stored.salt, stored.iterations);
    await assert.rejects(prover.confirm(await validPoint(), "short"), isPairingError);
  });

  test("a corrupt stored verifier is refused up front, as a local error", () => {
    const corrupt: StoredVerifier[] = [
      { ...stored, w0: "zz" },
      { ...stored, w0: "0".repeat(64) },
      { ...stored, L: point(0x04, 0) },
      { ...stored, L: "" },
      { ...stored, salt: "" },
      { ...stored, iterations: 5 },
    ];
    for (const verifier of corrupt) {
      assert.throws(() => new PairingVerifier({ verifier, ...direct }), RangeError);
    }
  });
});

describe("no secret in any error", () => {
  test("messages, stacks and string forms never contain the code", async () => {
    const direct = { hubFingerprint: HUB, robotFingerprint: ROBOT };
    const errors: unknown[] = [];
    const collect = async (run: () => Promise<unknown>) => {
      try {
        await run();
      } catch (error) {
        errors.push(error);
        return;
      }
      assert.fail("expected a failure");
    };
    await collect(() => pair(WRONG_CODE, stored, direct, direct));
    await collect(() => pair(CODE, stored, direct, { ...direct, hubFingerprint: fingerprint() }));
    await collect(async () => new PairingProver({ code: "1234567", ...direct }));
    await collect(
      async () => new PairingProver({ code: CODE, hubFingerprint: "x", robotFingerprint: ROBOT }),
    );
    await collect(() => createVerifier("9876543"));
    await collect(async () => {
      const prover = new PairingProver({ code: CODE, ...direct });
      await prover.exchange(stored.salt, 1e9);
    });
    const robot = new PairingVerifier({ verifier: stored, ...direct });
    await collect(() => rogueProver(WRONG_CODE, stored, pairingContext(HUB, ROBOT), robot));
    assert.equal(errors.length, 7);
    const secrets = [CODE, "4071-8263", WRONG_CODE, "1234567", "9876543", stored.w0, stored.L];
    for (const error of errors) {
      assert.ok(error instanceof Error);
      const text = `${String(error)}\n${error.stack}\n${JSON.stringify(error)}\n${String(error.cause)}`;
      for (const secret of secrets)
        assert.ok(!text.includes(secret), `${secret} leaked in: ${error.message}`);
    }
  });
});

describe("channel binding over a real TLS connection", () => {
  test("contexts computed from what each side saw on the socket agree, and pairing succeeds", async () => {
    const [hub, robotIdentity] = await Promise.all([createIdentity("hub"), createIdentity("robot")]);
    const { serverSaw, clientSaw } = await mutualTlsHandshake(robotIdentity, hub);
    const hubSaw = { hubFingerprint: hub.fingerprint, robotFingerprint: clientSaw.fingerprint256 };
    const robotSide: Side = {
      hubFingerprint: normalizeFingerprint(serverSaw.fingerprint256),
      robotFingerprint: robotIdentity.fingerprint,
    };
    await pair(CODE, stored, hubSaw, robotSide);
  });
});
