/**
 * The HTTP API's answers to bad input and to robots that cannot answer: every case gets its registry error
 * code and a message, the hub keeps serving, and nothing stored is lost.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { RobotView } from "../../hub/core/robot-view.ts";
import type { SimulatorFleet } from "../../integrations/sweep/simulator/fleet.ts";
import { startFleet, startTestHub, TEST_CODES, type TestHub, tempDir, waitFor } from "../support/harness.ts";

type Err = { error: { code: string; message: string } };

describe("API errors", () => {
  const dir = tempDir("api-errors");
  let fleet: SimulatorFleet;
  let hub: TestHub;
  const id = "apibot-001";
  const view = async () => (await hub.api<RobotView>("GET", `/api/robots/${id}`)).body;

  before(async () => {
    fleet = await startFleet({ dir: dir.path, count: 1, idPrefix: "apibot", advertise: false });
    hub = await startTestHub(`${dir.path}/hub`, { timings: { commandTimeoutMs: 1_500 } });
    const res = await hub.api("POST", "/api/robots/pair", {
      host: "127.0.0.1",
      port: fleet.get(id).port,
      code: TEST_CODES[0],
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    await waitFor("online", async () => (await view()).connection === "online");
  });
  after(async () => {
    await hub?.stop();
    await fleet?.stop();
    dir.remove();
  });

  const raw = async (
    method: string,
    path: string,
    body: string | undefined,
    contentType = "application/json",
  ) => {
    const headers: Record<string, string> = { ...hub.authHeaders() };
    if (body !== undefined) headers["content-type"] = contentType;
    const res = await fetch(`${hub.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    return { status: res.status, body: (await res.json()) as Err };
  };

  it("answers a body that is not JSON with invalid_request", async () => {
    const res = await raw("POST", "/api/robots/pair", "{not json");
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, "invalid_request");
    assert.match(res.body.error.message, /JSON/);
  });

  it("answers unknown fields with invalid_request naming them", async () => {
    const res = await raw(
      "POST",
      "/api/robots/pair",
      JSON.stringify({ code: "12345678", robotId: id, admin: true }),
    );
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, "invalid_request");
  });

  it("answers a missing required field with the field's name", async () => {
    const res = await raw("POST", "/api/robots/pair", JSON.stringify({ robotId: id }));
    assert.equal(res.status, 400);
    assert.match(res.body.error.message, /code/);
  });

  it("answers an oversized body with payload_too_large", async () => {
    const res = await raw("POST", "/api/robots/pair", JSON.stringify({ code: "1".repeat(400_000) }));
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, "payload_too_large");
  });

  it("answers a non-JSON content type with unsupported_media_type", async () => {
    const res = await raw("POST", `/api/robots/${id}/commands/locate`, "<locate/>", "application/xml");
    assert.equal(res.status, 415);
    assert.equal(res.body.error.code, "unsupported_media_type");
  });

  it("answers an invalid robot id in the path with invalid_request", async () => {
    const res = await raw("GET", "/api/robots/bad%20id!", undefined);
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, "invalid_request");
  });

  it("answers unknown routes with not_found", async () => {
    const res = await raw("GET", "/api/nothing-here", undefined);
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, "not_found");
  });

  it("publishes an OpenAPI document listing every command route", async () => {
    const res = await hub.api<{ openapi: string; paths: Record<string, unknown> }>(
      "GET",
      "/api/openapi.json",
    );
    assert.equal(res.status, 200);
    assert.match(res.body.openapi, /^3\./);
    for (const p of [
      "/api/robots",
      "/api/robots/pair",
      "/api/robots/{robotId}/commands/start",
      "/api/robots/{robotId}/commands/clean_rooms",
    ]) {
      assert.ok(Object.hasOwn(res.body.paths, p), `OpenAPI lists ${p}`);
    }
  });

  it("answers timeout when the robot stops answering", async () => {
    fleet.get(id).server.freezeConnections();
    const res = await hub.api<Err>("POST", `/api/robots/${id}/commands/locate`, {});
    assert.equal(res.status, 504);
    assert.equal(res.body.error.code, "timeout");
    fleet.get(id).server.dropConnections();
    await waitFor("online again", async () => (await view()).connection === "online");
  });

  it("answers robot_offline when the robot is gone, and keeps the robot paired", async () => {
    await fleet.get(id).server.stop();
    await waitFor("offline", async () => (await view()).connection === "offline");
    const res = await hub.api<Err>("POST", `/api/robots/${id}/commands/start`, {});
    assert.equal(res.status, 503);
    assert.equal(res.body.error.code, "robot_offline");
    assert.match(res.body.error.message, /offline/);
    const list = await hub.api<{ robots: RobotView[] }>("GET", "/api/robots");
    assert.equal(list.body.robots.length, 1, "an offline robot stays paired");
    await fleet.restart(id);
    await waitFor("back online", async () => (await view()).connection === "online");
  });

  it("is still healthy after all of it", async () => {
    const res = await hub.api<{ status: string }>("GET", "/api/health");
    assert.equal(res.body.status, "ok");
  });
});
