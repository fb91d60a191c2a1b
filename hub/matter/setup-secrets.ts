/**
 * Setup passcodes and discriminators for Matter nodes (Matter Core specification §5.1.7 and §5.1.6.1). Kept free
 * of matter.js so the store can allocate without loading it.
 */
import { randomInt } from "node:crypto";

/** §5.1.7.1: passcodes a device must never use; 20202021 is the well-known test passcode of every SDK example. */
const FORBIDDEN_PASSCODES = new Set([
  0, 11111111, 22222222, 33333333, 44444444, 55555555, 66666666, 77777777, 88888888, 99999999, 12345678,
  87654321, 20202021,
]);

export function randomPasscode(random: (min: number, max: number) => number = randomInt): number {
  for (;;) {
    const p = random(1, 99999999);
    if (!FORBIDDEN_PASSCODES.has(p)) return p;
  }
}

export const isValidPasscode = (p: number): boolean =>
  Number.isInteger(p) && p >= 1 && p <= 99999998 && !FORBIDDEN_PASSCODES.has(p);

/**
 * A manual pairing code carries only the top 4 bits of the 12-bit discriminator (§5.1.4.1), so nodes are given
 * different top bits (steps of 256) for as long as there are free ones: with up to 16 nodes every manual code
 * finds exactly one node. The low 8 bits are random so two hubs on one network rarely collide in QR codes.
 */
export function nextDiscriminator(
  used: readonly number[],
  random: (min: number, max: number) => number = randomInt,
): number {
  const count = new Array<number>(16).fill(0);
  for (const d of used) count[(d >> 8) & 0xf]++;
  const least = Math.min(...count);
  const short = count.indexOf(least);
  return (short << 8) | random(0, 256);
}

/** The lowest port at or above `base` that no other node uses. */
export function nextPort(base: number, used: readonly number[]): number {
  const taken = new Set(used);
  let port = base;
  while (taken.has(port)) port++;
  if (port > 65535) throw new RangeError("No free UDP port left for a Matter node");
  return port;
}
