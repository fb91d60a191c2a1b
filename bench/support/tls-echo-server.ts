/**
 * The baseline of the round-trip benchmark, run as its own process: a WebSocket server over TLS 1.3 that
 * sends every text frame straight back. It uses the robots' own transport (createRobotTransport: self-signed
 * P-256 certificate, client certificate requested, no compression, same frame limit) so the only difference from
 * the real path is the protocol work: parsing, validation, dispatch, state, events. Prints `port=<n>` once
 * listening.
 */
import { createIdentity } from "../../integrations/sweep/protocol/identity.ts";
import { createRobotTransport } from "../../integrations/sweep/protocol/robot-transport.ts";

const identity = await createIdentity("bench-echo");
const { server, wss } = createRobotTransport(identity);
wss.on("connection", (ws) => {
  ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary }));
});
server.listen(0, "127.0.0.1", () => {
  const addr = server.address();
  process.stdout.write(`port=${addr && typeof addr === "object" ? addr.port : 0}\n`);
});
process.once("SIGTERM", () => {
  wss.close();
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
