/**
 * Byte pipes between a TCP port and a Unix socket. The demo runs hub and robots in a private network namespace
 * (so their mDNS never reaches the LAN) but a browser lives in the host namespace; the filesystem is shared by
 * both, so a Unix socket carries the dashboard's connections across.
 */
import { rmSync } from "node:fs";
import { createConnection, createServer, type Server, type Socket } from "node:net";

function pipe(a: Socket, b: Socket): void {
  a.pipe(b);
  b.pipe(a);
  const close = () => {
    a.destroy();
    b.destroy();
  };
  a.on("error", close);
  b.on("error", close);
  a.on("close", close);
  b.on("close", close);
}

/** Host side: accept TCP on host:port, forward each connection to the Unix socket. */
export function tcpToUnix(host: string, port: number, socketPath: string): Promise<Server> {
  const server = createServer((client) => pipe(client, createConnection(socketPath)));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}

/** Namespace side: accept on the Unix socket, forward each connection to TCP host:port. */
export function unixToTcp(socketPath: string, host: string, port: number): Promise<Server> {
  rmSync(socketPath, { force: true });
  const server = createServer((client) => pipe(client, createConnection({ host, port })));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => resolve(server));
  });
}
