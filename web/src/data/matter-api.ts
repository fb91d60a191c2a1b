/** Typed calls of the Matter API (docs/api.md §Matter) and pure helpers for the Matter panel. */
import { request } from "./api.ts";

export interface MatterFabric {
  fabricIndex: number;
  label: string;
  vendorId: number;
  fabricId: string;
  nodeId: string;
}

export interface MatterNode {
  nodeKey: string;
  mode: string;
  online: boolean;
  port: number;
  commissioned: boolean;
  commissionable: boolean;
  windowClosesAt: number | null;
  qrPairingCode: string | null;
  manualPairingCode: string | null;
  fabrics: MatterFabric[];
}

const base = (robotId: string) => `/api/robots/${encodeURIComponent(robotId)}/matter`;

export const matterApi = {
  node: (robotId: string) => request<MatterNode>("GET", base(robotId)),
  openWindow: (robotId: string) => request<MatterNode>("POST", `${base(robotId)}/commissioning-window`),
  removeFabric: (robotId: string, fabricIndex: number) =>
    request<MatterNode>("DELETE", `${base(robotId)}/fabrics/${fabricIndex}`),
};

/** The 11-digit manual pairing code grouped as people type it: 3497-011-2332. */
export function groupManualCode(code: string): string {
  const d = code.replace(/\D/g, "");
  if (d.length === 11) return `${d.slice(0, 4)}-${d.slice(4, 7)}-${d.slice(7)}`;
  if (d.length === 21)
    return `${d.slice(0, 4)}-${d.slice(4, 7)}-${d.slice(7, 11)}-${d.slice(11, 16)}-${d.slice(16)}`;
  return code;
}

const VENDORS: Record<number, string> = {
  4937: "Apple Home",
  24582: "Google Home",
  4631: "Amazon Alexa",
  4939: "Home Assistant",
  4362: "SmartThings",
  65521: "Test controller",
};

/** A friendly name for a controller: its label, and who made it when the vendor is known. */
export function fabricName(f: Pick<MatterFabric, "label" | "vendorId">): string {
  const vendor = VENDORS[f.vendorId];
  if (vendor && f.label && f.label !== vendor) return `${f.label} (${vendor})`;
  return vendor ?? (f.label || `Controller of vendor ${f.vendorId}`);
}
