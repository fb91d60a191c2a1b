/**
 * When to try reconnecting the live connection: exponential backoff with jitter (so a hub restart is not met
 * by every open dashboard at the same instant), capped so a returning hub is noticed within seconds.
 */
export const RECONNECT_MIN_MS = 500;
export const RECONNECT_MAX_MS = 10_000;

export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** Math.max(0, attempt));
  // Full jitter on the upper half: never below half the base, never above the cap.
  return Math.round(base / 2 + (base / 2) * random());
}
