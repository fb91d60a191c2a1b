/**
 * The robot's end of the transport (docs/protocol.md §1.2): a TLS 1.3 server that asks every client for its
 * certificate but accepts self-signed ones (hubs are authorised per connection by pinned fingerprint, §1.4),
 * and a WebSocket server at /sweep/v1 without extensions and with the protocol's frame limit. Robots and the
 * benchmark's echo baseline both use it, so the baseline pays exactly the robot's transport costs.
 */
import { createServer, type Server } from "node:https";
import { WebSocketServer } from "ws";
import { MAX_WIRE_FRAME_BYTES, PROTOCOL_PATH } from "./constants.ts";
import type { Identity } from "./identity.ts";

export function createRobotTransport(identity: Identity): { server: Server; wss: WebSocketServer } {
  const server = createServer({
    key: identity.keyPem,
    cert: identity.certPem,
    requestCert: true,
    rejectUnauthorized: false,
    minVersion: "TLSv1.3",
  });
  const wss = new WebSocketServer({
    server,
    path: PROTOCOL_PATH,
    maxPayload: MAX_WIRE_FRAME_BYTES,
    // Compression over TLS invites length side channels, and frames are small.
    perMessageDeflate: false,
  });
  return { server, wss };
}
