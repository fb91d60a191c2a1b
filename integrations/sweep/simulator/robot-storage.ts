/**
 * What a robot keeps in its own flash, here a folder per simulated robot: its TLS identity, the SPAKE2+
 * verifier of its setup code, the setup code itself (standing in for the sticker on the robot's underside),
 * and the fingerprints of the hubs it is paired with. Robots keep this across restarts, so pairing does too.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Identity, loadOrCreateIdentity } from "../protocol/identity.ts";
import { createVerifier, type StoredVerifier } from "../protocol/pairing.ts";
import { generateSetupCode } from "../protocol/setup-code.ts";

export interface PairedHub {
  fingerprint: string;
  name: string;
  pairedAt: number;
}

export interface RobotSecrets {
  identity: Identity;
  setupCode: string;
  verifier: StoredVerifier;
}

function writeAtomic(file: string, content: string, mode: number): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, content, { mode });
  renameSync(tmp, file);
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return null;
  }
}

export class RobotStorage {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Loads the robot's identity and setup code, creating them on first start ("factory state"). */
  async loadSecrets(robotId: string, fixedCode?: string): Promise<RobotSecrets> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const identity = await loadOrCreateIdentity(this.dir, "robot", `sweep-robot-${robotId}`);
    const codeFile = join(this.dir, "setup-code.txt");
    const verifierFile = join(this.dir, "verifier.json");
    let setupCode: string | null = null;
    try {
      setupCode = readFileSync(codeFile, "utf8").trim();
    } catch {
      setupCode = null;
    }
    let verifier = readJson<StoredVerifier>(verifierFile);
    if (fixedCode && fixedCode !== setupCode) {
      setupCode = fixedCode;
      verifier = null;
    }
    if (!setupCode || !verifier) {
      setupCode = setupCode ?? generateSetupCode();
      verifier = await createVerifier(setupCode);
      writeAtomic(codeFile, `${setupCode}\n`, 0o600);
      writeAtomic(verifierFile, JSON.stringify(verifier), 0o600);
    }
    return { identity, setupCode, verifier };
  }

  pairedHubs(): PairedHub[] {
    return readJson<PairedHub[]>(join(this.dir, "paired-hubs.json")) ?? [];
  }

  savePairedHubs(hubs: PairedHub[]): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writeAtomic(join(this.dir, "paired-hubs.json"), JSON.stringify(hubs, null, 2), 0o600);
  }

  /** Factory reset: a new identity and no paired hubs (the setup code on the sticker stays). */
  factoryReset(): void {
    for (const f of ["robot.key", "robot.crt", "paired-hubs.json"])
      rmSync(join(this.dir, f), { force: true });
  }
}
