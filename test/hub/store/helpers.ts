import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import type { Logger } from "../../../hub/logging.ts";
import type { PairingData } from "../../../hub/store/robot-repository.ts";

export const silentLogger: Logger = pino({ level: "silent" });

/** A fresh folder for one test; remove it with the returned cleanup. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `sweephub-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function pairing(id: string, overrides: Partial<PairingData> = {}): PairingData {
  return {
    id,
    name: `Robot ${id}`,
    model: "S1",
    manufacturer: "Sweep",
    firmware: "1.0.0",
    serial: `SN-${id}`,
    host: "127.0.0.1",
    port: 7000,
    certPem: `-----BEGIN CERTIFICATE-----\n${id}\n-----END CERTIFICATE-----\n`,
    fingerprint: `sha256:${id}`,
    capabilities: { basic_control: {}, fan_speed: { levels: ["quiet", "max"] } },
    pairedAt: 1_700_000_000_000,
    ...overrides,
  };
}
