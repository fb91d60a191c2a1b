/**
 * A real mutual TLS handshake on 127.0.0.1 between two identities (robot = server, hub = client), returning the
 * certificate each side saw. Shared by the identity and pairing tests.
 */
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import tls, { type PeerCertificate } from "node:tls";
import type { Identity } from "../../integrations/sweep/protocol/identity.ts";

export async function mutualTlsHandshake(
  server: Identity,
  client: Identity,
): Promise<{ serverSaw: PeerCertificate; clientSaw: PeerCertificate }> {
  const tlsServer = tls.createServer({
    key: server.keyPem,
    cert: server.certPem,
    requestCert: true,
    rejectUnauthorized: false,
  });
  const serverSaw = new Promise<PeerCertificate>((resolve, reject) => {
    tlsServer.once("secureConnection", (socket) => {
      const peer = socket.getPeerCertificate();
      socket.end();
      if (!peer?.fingerprint256) reject(new Error("server saw no client certificate"));
      else resolve(peer);
    });
    tlsServer.once("tlsClientError", reject);
  });
  tlsServer.listen(0, "127.0.0.1");
  await once(tlsServer, "listening");
  try {
    const { port } = tlsServer.address() as AddressInfo;
    const socket = tls.connect({
      host: "127.0.0.1",
      port,
      key: client.keyPem,
      cert: client.certPem,
      rejectUnauthorized: false,
    });
    await once(socket, "secureConnect");
    const clientSaw = socket.getPeerCertificate();
    // Only once the server has seen the client's certificate: destroying the client earlier can drop its last
    // handshake flight (in TLS 1.3 the client certificate follows the server's Finished).
    const seen = await serverSaw;
    socket.destroy();
    return { serverSaw: seen, clientSaw };
  } finally {
    tlsServer.close();
  }
}
