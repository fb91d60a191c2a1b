/**
 * A real Matter controller for tests and benchmarks (matter.js's CommissioningController, its own fabric), as
 * Apple Home or Home Assistant would be. The hub's matter.js runs in its worker thread, so this process's
 * matter.js needs its own storage folder and, inside the private network namespace, mDNS on lo (MATTER-NOTES
 * pitfalls 1 and 5).
 */
import { Environment, type NodeId } from "@matter/main";
import { ManualPairingCodeCodec } from "@matter/main/types";
import { CommissioningController } from "@project-chip/matter.js";
import type { SimulatorFleet } from "../../integrations/sweep/simulator/fleet.ts";
import { TEST_CODES, type TestHub, waitFor } from "./harness.ts";

/** startTestHub options for a hub with Matter on: mDNS on lo (the namespace has nothing else), own UDP ports. */
export function matterHubOptions(basePort: number) {
  return {
    env: { SWEEPHUB_DISCOVERY_INTERFACE: "127.0.0.1" },
    overrides: {
      http: { host: "127.0.0.1", port: 0 },
      discovery: { interface: "127.0.0.1" },
      matter: { enabled: true, networkInterface: "lo", basePort },
    },
  };
}

/**
 * Pairs the fleet's robot `id` with a test hub started with `matterHubOptions` (first setup code), waits until
 * Matter runs and the robot is online, then points this process's controller at `controllerDir`.
 */
export async function pairForMatter(
  hub: TestHub,
  fleet: SimulatorFleet,
  id: string,
  controllerDir: string,
): Promise<void> {
  const res = await hub.api("POST", "/api/robots/pair", {
    host: "127.0.0.1",
    port: fleet.get(id).port,
    code: TEST_CODES[0],
  });
  if (res.status !== 201) throw new Error(`pairing failed: ${res.status} ${JSON.stringify(res.body)}`);
  await hub.matter.ready();
  await waitFor("robot online", async () => hub.robots.get(id).connection === "online");
  useControllerEnvironment(controllerDir);
}

/** Points this process's matter.js at `storageDir` and at mDNS on lo; call before the first controller. */
export function useControllerEnvironment(storageDir: string): void {
  Environment.default.vars.set("storage.path", storageDir);
  Environment.default.vars.set("mdns.networkInterface", "lo");
}

export async function startController(id: string, label: string): Promise<CommissioningController> {
  const controller = new CommissioningController({
    environment: { environment: Environment.default, id },
    autoConnect: false,
    adminFabricLabel: label,
  });
  await controller.start();
  return controller;
}

/** Commissions (PASE + CASE) the node whose 11-digit manual pairing code the hub shows, found over mDNS. */
export function commissionWithCode(controller: CommissioningController, manualCode: string): Promise<NodeId> {
  const { shortDiscriminator, passcode } = ManualPairingCodeCodec.decode(manualCode);
  return controller.commissionNode(
    {
      commissioning: { regulatoryLocation: 2, regulatoryCountryCode: "XX" },
      discovery: {
        identifierData: { shortDiscriminator: shortDiscriminator as number },
        discoveryCapabilities: { onIpNetwork: true },
      },
      passcode,
    },
    { connectNodeAfterCommissioning: false },
  );
}
