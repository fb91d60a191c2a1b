/**
 * The authorization matrix (issue 5): every route in the hub's route table — collected by the onRoute hook in
 * hub/api/access.ts, so a new route is picked up automatically — is called as every kind of principal:
 * nobody (401 unless public), each role, and members with and without grants on the robot. Denied
 * combinations must answer 401/403; allowed ones must succeed (2xx). A route without a sample request here
 * fails the test, so no route can be added without being covered.
 *
 * Runs against a real hub (HTTPS with its local CA, real SQLite) and real simulated robots; requests go through
 * fastify's inject (same hooks and handlers as the network), WebSocket routes through a real TLS socket.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Value } from "typebox/value";
import WebSocket from "ws";
import type { AuthLevel, RouteAccess, RouteTableEntry } from "../../../hub/api/access.ts";
import { findCommand } from "../../../hub/core/capabilities/index.ts";
import type { HubErrorCode } from "../../../hub/core/errors.ts";
import type { SimulatorFleet } from "../../../integrations/sweep/simulator/fleet.ts";
import { OWNER, USER_PASSWORD } from "../../support/accounts.ts";
import {
  startFleet,
  startTestHub,
  TEST_CODES,
  type TestHub,
  tempDir,
  waitFor,
} from "../../support/harness.ts";

type PrincipalName = "anonymous" | "owner" | "admin" | "memberFull" | "memberView" | "memberNone";
interface Principal {
  name: PrincipalName;
  role: "owner" | "admin" | "member" | null;
  grants: { view: boolean; control: boolean; camera: boolean };
  username: string;
  password: string;
  headers: Record<string, string>;
  userId: string;
}

interface Sample {
  url: string;
  body?: unknown;
  /** Act as someone else with the same access (for requests that use up the principal, e.g. deleting it). */
  as?: Principal;
  /** Undo afterwards (e.g. give ownership back). */
  after?: () => Promise<void>;
}

interface Ctx {
  hub: TestHub;
  robot: string;
  call(
    p: Principal | null,
    method: string,
    url: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }>;
  owner: Principal;
  /** A fresh principal with the same role and grants. */
  clone(p: Principal): Promise<Principal>;
  spareRobot(p: Principal): { id: string; port: number; code: string };
  /** Whether the simulated robot still counts any hub as paired. */
  robotPaired(id: string): boolean;
}

const ALL = { view: true, control: true, camera: true };
const NONE = { view: false, control: false, camera: false };

/** One sample request per route (method + url pattern). GET routes whose only parameter is :robotId need none. */
const SAMPLES: Record<string, (ctx: Ctx, p: Principal) => Promise<Sample> | Sample> = {
  "POST /api/auth/login": () => ({
    url: "/api/auth/login",
    body: { username: OWNER.username, password: OWNER.password },
  }),
  "POST /api/auth/logout": () => ({ url: "/api/auth/logout" }),
  "PATCH /api/me": () => ({
    url: "/api/me",
    body: { displayName: "Renamed", preferences: { theme: "dark" } },
  }),
  "PUT /api/me/password": (_c, p) => ({
    url: "/api/me/password",
    body: { currentPassword: p.password, newPassword: p.password },
  }),
  "DELETE /api/me/sessions/:sessionId": async (c, p) => {
    const res = await c.call(null, "POST", "/api/auth/login", { username: p.username, password: p.password });
    return { url: `/api/me/sessions/${(res.body as { sessionId: string }).sessionId}` };
  },
  "POST /api/me/tokens": () => ({ url: "/api/me/tokens", body: { name: "matrix", scopes: ["read"] } }),
  "DELETE /api/me/tokens/:tokenId": async (c, p) => {
    const res = await c.call(p, "POST", "/api/me/tokens", { name: "to revoke", scopes: ["read"] });
    return { url: `/api/me/tokens/${(res.body as { info: { id: string } }).info.id}` };
  },
  "POST /api/me/notices/:noticeId/dismiss": async (c, p) => {
    const { notices } = c.hub.app.deps.access;
    notices.add({
      userId: p.userId,
      kind: "new_ip_login",
      message: "test",
      details: {},
      robotId: null,
      createdAt: Date.now(),
    });
    const id = notices.list(p.userId).find((n) => n.dismissedAt === null)!.id;
    return { url: `/api/me/notices/${id}/dismiss` };
  },
  "POST /api/me/notices/dismiss-all": () => ({ url: "/api/me/notices/dismiss-all" }),
  "DELETE /api/me": async (c, p) => {
    const as = p.role === "owner" ? p : await c.clone(p);
    return { url: "/api/me", body: { password: as.password }, as };
  },
  "GET /api/users/:userId": (c) => ({ url: `/api/users/${c.owner.userId}` }),
  // Only the owner makes admins; admins may set the member role.
  "PATCH /api/users/:userId": async (c, p) => ({
    url: `/api/users/${(await c.clone(member(NONE))).userId}`,
    body: { role: p.role === "owner" ? "admin" : "member" },
  }),
  "DELETE /api/users/:userId": async (c) => ({ url: `/api/users/${(await c.clone(member(NONE))).userId}` }),
  "PUT /api/users/:userId/robots/:robotId": async (c) => ({
    url: `/api/users/${(await c.clone(member(NONE))).userId}/robots/${c.robot}`,
    body: { view: true, control: false, camera: false },
  }),
  "DELETE /api/users/:userId/robots/:robotId": async (c) => {
    const m = await c.clone(member({ view: true, control: false, camera: false }));
    return { url: `/api/users/${m.userId}/robots/${c.robot}` };
  },
  "POST /api/ownership/transfer": async (c, p) => {
    const heir = await c.clone(member(NONE));
    return {
      url: "/api/ownership/transfer",
      body: { userId: heir.userId, password: p.password },
      after: async () => {
        const back = await c.call(heir, "POST", "/api/ownership/transfer", {
          userId: p.userId,
          password: heir.password,
        });
        assert.equal(back.status, 204, "ownership given back");
      },
    };
  },
  "POST /api/invitations": (c) => ({
    url: "/api/invitations",
    body: { role: "member", grants: [{ robotId: c.robot, view: true, control: false, camera: false }] },
  }),
  "DELETE /api/invitations/:invitationId": async (c) => {
    const res = await c.call(c.owner, "POST", "/api/invitations", { role: "member", grants: [] });
    return { url: `/api/invitations/${(res.body as { invitation: { id: string } }).invitation.id}` };
  },
  "POST /api/invitations/preview": async (c) => {
    const res = await c.call(c.owner, "POST", "/api/invitations", { role: "member", grants: [] });
    return { url: "/api/invitations/preview", body: { code: (res.body as { code: string }).code } };
  },
  "POST /api/invitations/accept": async (c) => {
    const res = await c.call(c.owner, "POST", "/api/invitations", { role: "member", grants: [] });
    return {
      url: "/api/invitations/accept",
      body: { code: (res.body as { code: string }).code, username: uniqueName(), password: USER_PASSWORD },
    };
  },
  "PUT /api/robots/:robotId/consent": (c) => ({
    url: `/api/robots/${c.robot}/consent`,
    body: { keepHistory: true, recordCamera: false },
  }),
  "DELETE /api/robots/:robotId/data": (c) => ({ url: `/api/robots/${c.robot}/data` }),
  "POST /api/robots/pair": async (c, p) => {
    const spare = c.spareRobot(p);
    // The robot has just been unpaired (the unpair sample runs first): let it finish forgetting the hub.
    if (!c.hub.robots.isPaired(spare.id))
      await waitFor("spare robot unpaired", () => !c.robotPaired(spare.id));
    return { url: "/api/robots/pair", body: { host: "127.0.0.1", port: spare.port, code: spare.code } };
  },
  "DELETE /api/robots/:robotId": (c, p) => ({ url: `/api/robots/${c.spareRobot(p).id}` }),
  "POST /api/discovery/scan": () => ({ url: "/api/discovery/scan" }),
  "GET /api/users": () => ({ url: "/api/users" }),
  "PUT /api/system/log-level": () => ({ url: "/api/system/log-level", body: { level: "debug" } }),
  "POST /api/system/backups": () => ({ url: "/api/system/backups" }),
  "GET /api/system/backups/:name": async (c) => {
    const res = await c.call(c.owner, "POST", "/api/system/backups");
    return { url: `/api/system/backups/${(res.body as { name: string }).name}` };
  },
  "GET /api/robots/:robotId/matter": (c) => ({ url: `/api/robots/${c.robot}/matter` }),
  "POST /api/robots/:robotId/matter/commissioning-window": (c) => ({
    url: `/api/robots/${c.robot}/matter/commissioning-window`,
  }),
  "DELETE /api/robots/:robotId/matter/fabrics/:fabricIndex": (c) => ({
    url: `/api/robots/${c.robot}/matter/fabrics/1`,
  }),
  "GET /assets/*": () => ({ url: "/assets/none.js" }),
  "GET /*": () => ({ url: "/robots" }),
};

/**
 * Allowed requests that cannot succeed in this setup, with the error that proves they passed access control:
 * Matter is disabled in tests (its own e2e test covers it), and a missing asset is a 404 by design.
 */
const ALLOWED_ERRORS: Record<string, HubErrorCode[]> = {
  "GET /api/robots/:robotId/matter": ["matter_disabled" as HubErrorCode],
  "POST /api/robots/:robotId/matter/commissioning-window": ["matter_disabled" as HubErrorCode],
  "DELETE /api/robots/:robotId/matter/fabrics/:fabricIndex": ["matter_disabled" as HubErrorCode],
  "GET /assets/*": ["not_found"],
};

let counter = 0;
const uniqueName = () => `user${++counter}${Date.now() % 100000}`;
const member = (grants: Principal["grants"]): Principal => ({
  name: "memberNone",
  role: "member",
  grants,
  username: "",
  password: "",
  headers: {},
  userId: "",
});

const ROLE_RANK = { member: 0, admin: 1, owner: 2 } as const;

/** What the access model says a principal may do on a route. */
function expected(access: RouteAccess, p: Principal): "allow" | 401 | 403 {
  const auth: AuthLevel = access.auth;
  if (auth === "public") return "allow";
  if (p.role === null) return 401;
  const needed = auth === "admin" ? "admin" : auth === "owner" ? "owner" : "member";
  if (ROLE_RANK[p.role] < ROLE_RANK[needed]) return 403;
  if (access.robotGrant && p.role === "member" && !p.grants[access.robotGrant]) return 403;
  return "allow";
}

const isCommand = (url: string) => url.startsWith("/api/robots/:robotId/commands/");

describe("authorization matrix: every route x every principal", () => {
  const dir = tempDir("authz");
  let fleet: SimulatorFleet;
  let hub: TestHub;
  let robot: string;
  const principals = new Map<PrincipalName, Principal>();
  const spares: { id: string; port: number; code: string }[] = [];
  let ca = "";

  const call: Ctx["call"] = async (p, method, url, body) => {
    const res = await hub.app.inject({
      method: method as "GET",
      url,
      headers: {
        ...(p?.headers ?? {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    const type = String(res.headers["content-type"] ?? "");
    return {
      status: res.statusCode,
      body: type.includes("json") && res.body ? JSON.parse(res.body) : res.body,
    };
  };

  async function makeUser(
    name: PrincipalName,
    role: "admin" | "member",
    grants: Principal["grants"],
  ): Promise<Principal> {
    const owner = principals.get("owner")!;
    const inv = await call(owner, "POST", "/api/invitations", {
      role,
      grants: role === "member" && grants.view ? [{ robotId: robot, ...grants }] : [],
    });
    assert.equal(inv.status, 201, JSON.stringify(inv.body));
    const username = uniqueName();
    const accepted = await call(null, "POST", "/api/invitations/accept", {
      code: (inv.body as { code: string }).code,
      username,
      password: USER_PASSWORD,
    });
    assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
    const userId = (accepted.body as { user: { id: string } }).user.id;
    const p: Principal = { name, role, grants, username, password: USER_PASSWORD, headers: {}, userId };
    p.headers = await tokenHeaders(p);
    return p;
  }

  /** Signs in like a browser, then creates a manage-scoped API token for the principal. */
  async function tokenHeaders(p: Principal): Promise<Record<string, string>> {
    const login = await hub.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { username: p.username, password: p.password },
    });
    assert.equal(login.statusCode, 200, login.body);
    const cookie = login.cookies.find((c) => c.name === "sweephub_session")!;
    const res = await hub.app.inject({
      method: "POST",
      url: "/api/me/tokens",
      headers: {
        cookie: `sweephub_session=${cookie.value}`,
        "x-csrf-token": (JSON.parse(login.body) as { csrfToken: string }).csrfToken,
      },
      payload: { name: "matrix", scopes: ["manage"] },
    });
    assert.equal(res.statusCode, 201, res.body);
    return { authorization: `Bearer ${(JSON.parse(res.body) as { token: string }).token}` };
  }

  before(async () => {
    fleet = await startFleet({
      dir: dir.path,
      count: 3,
      idPrefix: "authz",
      advertise: false,
      plans: ["apartment"],
    });
    hub = await startTestHub(`${dir.path}/hub`, {
      onboard: false,
      env: {
        SWEEPHUB_DISCOVERY_INTERFACE: "127.0.0.1",
        SWEEPHUB_MATTER_ENABLED: "false",
        SWEEPHUB_TLS_MODE: "local-ca",
      },
    });
    ca = hub.app.deps.access.tls!.caCertPem!;
    const onboarded = await call(null, "POST", "/api/onboarding", { ...OWNER });
    assert.equal(onboarded.status, 201, JSON.stringify(onboarded.body));
    const owner: Principal = {
      name: "owner",
      role: "owner",
      grants: ALL,
      username: OWNER.username,
      password: OWNER.password,
      headers: {},
      userId: (onboarded.body as { user: { id: string } }).user.id,
    };
    owner.headers = await tokenHeaders(owner);
    principals.set("owner", owner);
    for (const [i, sim] of fleet.robots.entries()) {
      const res = await call(owner, "POST", "/api/robots/pair", {
        host: "127.0.0.1",
        port: sim.port,
        code: TEST_CODES[i],
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      if (i > 0) spares.push({ id: sim.id, port: sim.port, code: TEST_CODES[i]! });
    }
    robot = fleet.robots[0]!.id;
    await waitFor("robot online", () => hub.robots.get(robot).connection === "online");
    principals.set("anonymous", { ...member(NONE), name: "anonymous", role: null });
    principals.set("admin", await makeUser("admin", "admin", ALL));
    principals.set("memberFull", await makeUser("memberFull", "member", ALL));
    principals.set(
      "memberView",
      await makeUser("memberView", "member", { view: true, control: false, camera: false }),
    );
    principals.set("memberNone", await makeUser("memberNone", "member", NONE));
  });
  after(async () => {
    await hub?.stop();
    await fleet?.stop();
    dir.remove();
  });

  const ctx = (): Ctx => ({
    hub,
    robot,
    call,
    owner: principals.get("owner")!,
    clone: async (p) => makeUser(p.name, p.role === "admin" ? "admin" : "member", p.grants),
    robotPaired: (id) => fleet.get(id).server.paired,
    spareRobot: (p) => {
      // Owner and admin each unpair one spare robot, then pair it again.
      const s = spares[p.role === "owner" ? 0 : 1];
      assert.ok(s);
      return s;
    },
  });

  it("every /api route declares its access, and public routes are the expected few", () => {
    const routes = hub.app.routeTable.filter((r) => r.method !== "HEAD");
    assert.ok(routes.length > 40, `route table has ${routes.length} routes`);
    const publicApi = routes
      .filter((r) => r.access.auth === "public" && r.url.startsWith("/api"))
      .map((r) => `${r.method} ${r.url}`);
    // A robot's data is per-robot business: a route about one robot that any user may call must name its grant.
    const ungranted = routes
      .filter((r) => r.url.includes(":robotId") && r.access.auth === "user" && !r.access.robotGrant)
      .map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(ungranted, [], "robot routes open to members must declare robotGrant");
    assert.deepEqual(publicApi.sort(), [
      "GET /api/auth/status",
      "GET /api/health",
      "GET /api/metrics",
      "GET /api/openapi.json",
      "GET /api/ready",
      "GET /api/tls/ca.crt",
      "POST /api/auth/login",
      "POST /api/invitations/accept",
      "POST /api/invitations/preview",
    ]);
  });

  it("each route answers 401/403 when denied and succeeds when allowed, for every principal", async () => {
    const routes = hub.app.routeTable.filter(
      (r) => r.method !== "HEAD" && !r.websocket && r.access.auth !== "onboarding",
    );
    // Unpairing must run before pairing (the spare robots are unpaired, then paired again).
    routes.sort((a, b) => order(a) - order(b));
    const failures: string[] = [];
    const lenient: string[] = [];
    for (const route of routes) {
      const key = `${route.method} ${route.url}`;
      // Routes without a hand-written sample are still checked: denials exactly, and "allowed" as "got past
      // access control" (no 401/403, no internal error). Listed in `lenient` so the gap stays visible.
      const sampler = SAMPLES[key] ?? defaultSample(route) ?? placeholderSample(route);
      const strict =
        SAMPLES[key] !== undefined || (route.method === "GET" && defaultSample(route) !== undefined);
      if (!strict && !isCommand(route.url)) lenient.push(key);
      for (const p of principals.values()) {
        const want = expected(route.access, p);
        // A denied request must be refused before it touches anything, so any valid request will do: the owner's.
        const sample = await sampler(ctx(), want === "allow" ? p : principals.get("owner")!);
        const actor = want === "allow" ? (sample.as ?? p) : p;
        const res = await call(
          actor,
          route.method,
          sample.url,
          sample.body ?? (route.method === "GET" ? undefined : {}),
        );
        const code = (res.body as { error?: { code?: string } })?.error?.code;
        if (want === "allow") {
          const ok =
            (res.status >= 200 && res.status < 300) ||
            // A command past access control may still be refused by the robot or by its argument check.
            (isCommand(route.url) &&
              code !== undefined &&
              code !== "internal" &&
              ![401, 403].includes(res.status)) ||
            (key === "DELETE /api/me" && p.role === "owner" && code === "owner_must_transfer") ||
            (ALLOWED_ERRORS[key]?.includes(code as HubErrorCode) ?? false) ||
            (!strict && ![401, 403].includes(res.status) && code !== "internal");
          if (!ok)
            failures.push(
              `${key} as ${p.name}: expected success, got ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`,
            );
        } else if (res.status !== want) {
          failures.push(
            `${key} as ${p.name}: expected ${want}, got ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`,
          );
        }
        if (want === "allow") await sample.after?.();
      }
    }
    if (lenient.length)
      console.log(`checked without a success sample (add one to SAMPLES): ${lenient.join(", ")}`);
    assert.deepEqual(failures, []);
  });

  it("the OpenAPI document states each route's access and how to authenticate", async () => {
    const doc = (await call(null, "GET", "/api/openapi.json")).body as {
      components: { securitySchemes: Record<string, unknown> };
      paths: Record<string, Record<string, { description?: string; security?: unknown[] }>>;
    };
    assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ["bearerToken", "sessionCookie"]);
    const users = doc.paths["/api/users"]!.get!;
    assert.match(users.description ?? "", /Access: owner or admin\./);
    assert.equal(users.security?.length, 2);
    const history = doc.paths["/api/robots/{robotId}/history"]!.get!;
    assert.match(history.description ?? "", /"view" grant/);
    assert.deepEqual(doc.paths["/api/auth/login"]!.post!.security, []);
  });

  it("the WebSocket route: 401 without credentials, open for every user", async () => {
    const url = `${hub.url.replace("https", "wss")}/api/ws`;
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(url, { ca });
      ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      ws.on("open", () => resolve(101));
      ws.on("error", () => {});
    });
    assert.equal(status, 401);
    for (const p of principals.values()) {
      if (p.role === null) continue;
      const hello = await new Promise<string>((resolve, reject) => {
        const ws = new WebSocket(url, { ca, headers: p.headers });
        ws.on("message", (d) => {
          resolve(JSON.parse(String(d)).type);
          ws.close();
        });
        ws.on("unexpected-response", (_req, res) => reject(new Error(`${p.name}: ${res.statusCode}`)));
        ws.on("error", reject);
      });
      assert.equal(hello, "hello", p.name);
    }
  });

  it("onboarding is closed for everyone once the owner exists", async () => {
    for (const p of principals.values()) {
      const res = await call(p, "POST", "/api/onboarding", {
        username: uniqueName(),
        password: USER_PASSWORD,
      });
      assert.equal(res.status, 409, p.name);
      assert.equal((res.body as { error: { code: string } }).error.code, "already_onboarded");
    }
  });
});

/** Any syntactically valid request: parameters filled in, an empty JSON body. */
function placeholderSample(route: RouteTableEntry): (c: Ctx) => Sample {
  return (c) => ({
    url: route.url
      .replace(":robotId", c.robot)
      .replace(/:[A-Za-z]+/g, "x")
      .replace("*", "x"),
    ...(route.method === "GET" || route.method === "DELETE" ? {} : { body: {} }),
  });
}

function order(r: RouteTableEntry): number {
  if (r.method === "DELETE" && r.url === "/api/robots/:robotId") return 1;
  if (r.url === "/api/robots/pair") return 2;
  return 0;
}

/**
 * GET routes whose only parameter is the robot need no hand-written sample, nor do commands (generated from
 * the command registry, with arguments built from the command's schema).
 */
function defaultSample(route: RouteTableEntry): ((c: Ctx) => Sample) | undefined {
  if (isCommand(route.url)) {
    const def = findCommand(route.url.split("/").at(-1)!);
    if (!def) return undefined;
    let body: unknown = {};
    try {
      body = Value.Create(def.body);
    } catch {
      // Patterned strings have no default; the argument check then answers invalid_arguments (past access).
    }
    return (c) => ({ url: route.url.replace(":robotId", c.robot), body });
  }
  if (route.method !== "GET") return undefined;
  const params = route.url.match(/:[A-Za-z]+|\*/g) ?? [];
  if (params.some((x) => x !== ":robotId")) return undefined;
  return (c) => ({ url: route.url.replace(":robotId", c.robot) });
}
