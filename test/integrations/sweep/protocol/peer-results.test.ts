/**
 * A robot whose result does not match the method's schema is at fault (docs/protocol.md §2.3): the request
 * fails with InvalidResultError, which the hub reports as `robot_error`, never as the caller's invalid
 * arguments. Two Peers over a real WebSocket on loopback.
 */
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import WebSocket, { WebSocketServer } from "ws";
import { toHubError } from "../../../../hub/robots/error-mapping.ts";
import type { MethodResult } from "../../../../integrations/sweep/protocol/methods.ts";
import { InvalidResultError, Peer } from "../../../../integrations/sweep/protocol/peer.ts";
import { memoryLogger } from "../../../support/harness.ts";

describe("Peer: results that break the schema", () => {
  let server: WebSocketServer;
  let hub: Peer;
  let answer: unknown = { time: 1 };

  before(async () => {
    server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    server.on("connection", (ws) => {
      const robot = new Peer(ws, { log: memoryLogger("warn").log, idPrefix: "r", validateResults: false });
      robot.handle("ping", () => answer as MethodResult<"ping">);
    });
    const ws = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    hub = new Peer(ws, { log: memoryLogger("warn").log, idPrefix: "h" });
  });
  after(async () => {
    hub?.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it("accepts a valid result", async () => {
    answer = { time: 42 };
    assert.deepEqual(await hub.request("ping", {}), { time: 42 });
  });

  it("rejects a result with a wrong type or an extra member, naming the field", async () => {
    for (const bad of [{ time: "soon" }, { time: 1, extra: true }, {}]) {
      answer = bad;
      const err = await hub.request("ping", {}).then(
        () => assert.fail(`accepted ${JSON.stringify(bad)}`),
        (e: unknown) => e,
      );
      assert.ok(err instanceof InvalidResultError, String(err));
      assert.match(err.message, /answer to ping does not match the protocol/);
      const hubError = toHubError(err);
      assert.equal(hubError.code, "robot_error");
      assert.equal(hubError.status, 502);
      assert.ok(Array.isArray(hubError.details?.issues), "the schema issues are kept");
    }
  });

  it("keeps the connection: the next request still works", async () => {
    answer = { time: 7 };
    assert.deepEqual(await hub.request("ping", {}), { time: 7 });
    assert.equal(hub.isOpen, true);
  });
});
