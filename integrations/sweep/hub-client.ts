/**
 * The hub's side of a Sweep Local Protocol connection (docs/protocol.md §1.2, §3): opening TLS WebSocket
 * connections to robots, pinning their certificates, and pairing with SPAKE2+ bound to both certificates.
 */

import { X509Certificate } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import WebSocket from "ws";
import { MAX_WIRE_FRAME_BYTES, PROTOCOL_PATH, PROTOCOL_VERSION } from "./protocol/constants.ts";
import { ProtocolError } from "./protocol/errors.ts";
import { EXTENSIONS, type Extension } from "./protocol/extensions.ts";
import type { Identity } from "./protocol/identity.ts";
import { normalizeFingerprint } from "./protocol/identity.ts";
import type { MethodResult } from "./protocol/methods.ts";
import { PairingError, PairingProver } from "./protocol/pairing.ts";
import { ConnectionClosedError, Peer, type PeerLogger } from "./protocol/peer.ts";

export interface RobotAddress {
  host: string;
  port: number;
}

export type HelloResult = MethodResult<"hello">;

/** Why a connection attempt failed, in the terms the hub reports to people. */
export type ConnectFailure = "unreachable" | "identity_changed" | "protocol" | "not_paired";

export class RobotConnectError extends Error {
  readonly reason: ConnectFailure;
  constructor(reason: ConnectFailure, message: string) {
    super(message);
    this.name = "RobotConnectError";
    this.reason = reason;
  }
}

export interface RobotLink {
  peer: Peer;
  hello: HelloResult;
  /** Canonical SHA-256 fingerprint of the certificate the robot presented. */
  fingerprint: string;
  certPem: string;
}

export interface ConnectOptions {
  address: RobotAddress;
  hub: { id: string; name: string; identity: Identity };
  /** The pinned robot fingerprint; null only while pairing. */
  pinnedFingerprint: string | null;
  log: PeerLogger;
  timeoutMs?: number;
  requestTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
  /** Extensions to enable (§6.1); default: every one this hub knows. Tests pass [] to act as a plain v1 hub. */
  extensions?: readonly Extension[];
}

const formatHost = (host: string) => (host.includes(":") && !host.startsWith("[") ? `[${host}]` : host);

function certToPem(der: Buffer): string {
  return new X509Certificate(der).toString();
}

/**
 * Opens a mutually authenticated TLS WebSocket to a robot and runs `hello`.
 * The robot's certificate is compared with the pin as soon as the TLS handshake's HTTP upgrade answer arrives,
 * before the hub sends a single protocol frame (§1.2).
 */
export function connectToRobot(options: ConnectOptions): Promise<RobotLink> {
  const { address, hub, pinnedFingerprint, log } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const url = `wss://${formatHost(address.host)}:${address.port}${PROTOCOL_PATH}`;
  return new Promise<RobotLink>((resolve, reject) => {
    let settled = false;
    let presented: { fingerprint: string; certPem: string } | null = null;
    const fail = (err: RobotConnectError) => {
      if (settled) return;
      settled = true;
      ws.terminate();
      reject(err);
    };
    const ws = new WebSocket(url, {
      key: hub.identity.keyPem,
      cert: hub.identity.certPem,
      // Robots use self-signed certificates; trust comes from the pinned fingerprint checked below, which is
      // stronger than a CA chain for a device paired once on the LAN.
      rejectUnauthorized: false,
      handshakeTimeout: timeoutMs,
      maxPayload: MAX_WIRE_FRAME_BYTES,
      perMessageDeflate: false,
    });
    ws.on("upgrade", (res: IncomingMessage) => {
      const socket = res.socket as TLSSocket;
      const cert = socket.getPeerCertificate(true);
      if (!cert?.raw) {
        fail(new RobotConnectError("protocol", "The robot presented no TLS certificate"));
        return;
      }
      const fingerprint = normalizeFingerprint(cert.fingerprint256);
      presented = { fingerprint, certPem: certToPem(cert.raw) };
      if (pinnedFingerprint !== null && fingerprint !== pinnedFingerprint) {
        fail(
          new RobotConnectError(
            "identity_changed",
            "The robot presented a different certificate than the one paired (reset or impostor); pair it again",
          ),
        );
      }
    });
    ws.on("unexpected-response", (_req, res) => {
      fail(
        new RobotConnectError("protocol", `The robot refused the WebSocket upgrade (HTTP ${res.statusCode})`),
      );
    });
    const onError = (err: NodeJS.ErrnoException) => {
      fail(
        new RobotConnectError(
          "unreachable",
          `Cannot reach the robot at ${address.host}:${address.port} (${err.code ?? err.message})`,
        ),
      );
    };
    ws.on("error", onError);
    const onClose = (code: number, reason: Buffer) => {
      fail(
        new RobotConnectError(
          "unreachable",
          `The robot closed the connection (${code} ${reason.toString()})`.trim(),
        ),
      );
    };
    ws.on("close", onClose);
    ws.once("open", () => {
      if (settled || !presented) return;
      const peer = new Peer(ws, {
        log,
        idPrefix: "h",
        requestTimeoutMs: options.requestTimeoutMs ?? timeoutMs,
        ...(options.heartbeatIntervalMs ? { heartbeatIntervalMs: options.heartbeatIntervalMs } : {}),
        ...(options.heartbeatTimeoutMs ? { heartbeatTimeoutMs: options.heartbeatTimeoutMs } : {}),
      });
      // From here on the Peer owns the socket's lifecycle (it has its own close and error listeners).
      ws.off("close", onClose);
      ws.off("error", onError);
      const link = presented;
      const hello = peer.request(
        "hello",
        { proto: [PROTOCOL_VERSION], hub: { id: hub.id, name: hub.name } },
        { timeoutMs },
      );
      // Sent right behind hello (not after its answer), so turning extensions on costs no extra round trip.
      const enabling = options.pinnedFingerprint
        ? requestExtensions(peer, options.extensions ?? EXTENSIONS, timeoutMs)
        : Promise.resolve(null);
      hello
        .then((hello) => {
          if (hello.proto !== PROTOCOL_VERSION) {
            throw new RobotConnectError(
              "protocol",
              `The robot chose protocol version ${hello.proto}, this hub speaks ${PROTOCOL_VERSION}`,
            );
          }
          return withExtensions(hello, enabling);
        })
        .then((hello) => {
          if (settled) return;
          settled = true;
          resolve({ peer, hello, fingerprint: link.fingerprint, certPem: link.certPem });
        })
        .catch((err: Error) => {
          peer.close(1002, "hello failed");
          const msg = err instanceof ProtocolError ? `${err.code}: ${err.message}` : err.message;
          if (!settled) {
            settled = true;
            reject(
              err instanceof RobotConnectError
                ? err
                : new RobotConnectError("protocol", `Hello failed: ${msg}`),
            );
          }
        });
    });
  });
}

export interface PairOptions extends Omit<ConnectOptions, "pinnedFingerprint"> {
  /** The robot's setup code, normalised (8 digits). Never logged. */
  code: string;
}

export interface PairResult {
  hello: HelloResult;
  fingerprint: string;
  certPem: string;
}

/**
 * Pairs with an unpaired robot (§3): SPAKE2+ over the TLS connection with both certificate fingerprints in the
 * context, so only a robot that knows the code and presented this very certificate can complete it.
 * Errors: ProtocolError `pairing_failed` / `rate_limited` from the robot, PairingError when the robot's
 * confirmation does not verify (wrong code or a relay), RobotConnectError when it cannot be reached.
 */
export async function pairWithRobot(options: PairOptions): Promise<PairResult> {
  const link = await connectToRobot({ ...options, pinnedFingerprint: null });
  const { peer } = link;
  try {
    const start = await peer.request("pair.start", { hubName: options.hub.name });
    const prover = new PairingProver({
      code: options.code,
      hubFingerprint: options.hub.identity.fingerprint,
      robotFingerprint: link.fingerprint,
    });
    const { pA } = await prover.exchange(start.salt, start.iterations);
    const { pB, cB } = await peer.request("pair.exchange", { pA });
    const { cA } = await prover.confirm(pB, cB);
    await peer.request("pair.confirm", { cA });
    const hello = await peer.request("hello", {
      proto: [PROTOCOL_VERSION],
      hub: { id: options.hub.id, name: options.hub.name },
    });
    return { hello, fingerprint: link.fingerprint, certPem: link.certPem };
  } catch (err) {
    if (err instanceof PairingError) {
      throw new ProtocolError(
        "pairing_failed",
        "Pairing failed: the setup code is wrong, or something between the hub and the robot interfered",
      );
    }
    throw err;
  } finally {
    peer.close(1000, "pairing done");
  }
}

/**
 * Asks the robot to use the additions to v1 this hub understands (docs/protocol.md §6.1). Resolves, never rejects
 * (hello may fail first): the robot's state written with them; null when the robot cannot or does not say (an
 * older robot answers `unknown_type`, an unpaired connection `not_paired`, a robot that ignores unknown requests
 * lets it time out, one answers something else): the session carries on in plain v1; the error only when the
 * connection closed, which fails hello anyway.
 */
function requestExtensions(
  peer: Peer,
  extensions: readonly Extension[],
  timeoutMs: number,
): Promise<HelloResult["state"] | Error> {
  if (extensions.length === 0) return Promise.resolve(null);
  return peer.request("extensions.enable", { extensions: [...extensions] }, { timeoutMs }).then(
    (r) => r.state,
    (err: unknown) => (err instanceof ConnectionClosedError ? err : null),
  );
}

/** Hello with the state the robot wrote for the enabled extensions (it may use their values); plain v1 without. */
async function withExtensions(
  hello: HelloResult,
  enabling: Promise<HelloResult["state"] | Error>,
): Promise<HelloResult> {
  const state = await enabling;
  if (state instanceof Error) throw state;
  return hello.paired && state ? { ...hello, state } : hello;
}
