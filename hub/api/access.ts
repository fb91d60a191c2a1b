/**
 * The access model in one place (docs/api.md "Accounts and access"). Every route declares what it needs in
 * `config.access`; one onRequest hook enforces it for all of them: authentication (session cookie or bearer
 * token), the onboarding gate, role, per-robot grant (`:robotId` in the path), token scope and CSRF. A route
 * under /api without a declaration makes the hub refuse to start, and the authorization matrix test walks the
 * table collected here, so no route can slip through uncovered.
 */
import fastifyCookie from "@fastify/cookie";
import fastifyHelmet from "@fastify/helmet";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ownAccount } from "../auth/accounts-service.ts";
import {
  type RobotGrant,
  type Role,
  roleAtLeast,
  TOKEN_SCOPES,
  type TokenScope,
  type UserActor,
} from "../auth/actor.ts";
import type { SessionRecord } from "../auth/credential-repository.ts";
import { hashSecret } from "../auth/secrets.ts";
import type { UserRecord } from "../auth/user-repository.ts";
import { HubError } from "../core/errors.ts";
import type { AccessServices } from "./access-services.ts";

export const AUTH_LEVELS = ["public", "onboarding", "user", "admin", "owner"] as const;
export type AuthLevel = (typeof AUTH_LEVELS)[number];

export interface RouteAccess {
  /**
   * public: anyone, also before onboarding. onboarding: only while the hub has no owner. user/admin/owner:
   * a signed-in user with at least that role.
   */
  auth: AuthLevel;
  /** The path has `:robotId` and the user needs this grant on that robot (owners and admins have all). */
  robotGrant?: RobotGrant;
  /** Audit action recorded for every successful request (reads of maps, history, recordings). */
  audit?: string;
}

export interface RouteTableEntry {
  method: string;
  url: string;
  access: RouteAccess;
  websocket: boolean;
}

declare module "fastify" {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** The signed-in user, when the request carried valid credentials. */
    actor: UserActor | null;
    /** The cookie session behind `actor`, for CSRF checks and "this session" markers. */
    authSession: SessionRecord | null;
  }
  interface FastifyInstance {
    routeTable: RouteTableEntry[];
  }
}

export const SESSION_COOKIE = "sweephub_session";

/** How clients authenticate, for the OpenAPI document; each route lists the schemes it accepts. */
export const OPENAPI_SECURITY_SCHEMES = {
  bearerToken: { type: "http", scheme: "bearer", description: "An API token (POST /api/me/tokens)" },
  sessionCookie: {
    type: "apiKey",
    in: "cookie",
    name: "sweephub_session",
    description: "Browser session; writes also need the X-CSRF-Token header",
  },
} as const;

const ACCESS_WORDS: Record<AuthLevel, string> = {
  public: "Access: anyone.",
  onboarding: "Access: only while the hub has no owner.",
  user: "Access: any signed-in user.",
  admin: "Access: owner or admin.",
  owner: "Access: the owner.",
};
export const CSRF_COOKIE = "sweephub_csrf";
export const CSRF_HEADER = "x-csrf-token";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const ROLE_FOR: Partial<Record<AuthLevel, Role>> = { user: "member", admin: "admin", owner: "owner" };

export interface AccessControlOptions {
  services: AccessServices;
  /** HTTPS: cookies get `Secure`, HSTS is sent, and CSP may upgrade insecure requests. */
  secure: boolean;
}

/** Installs cookies, security headers, the route table and the enforcing hook on the root instance. */
export async function installAccessControl(app: FastifyInstance, opts: AccessControlOptions): Promise<void> {
  const { services, secure } = opts;
  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    // A Lit app from the same origin: no inline scripts; styles come through adoptedStyleSheets (not subject to
    // style-src) or same-origin files; images may be data:/blob: (QR codes, map snapshots).
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:", "blob:"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: secure ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: "same-origin" },
  });
  app.decorate("routeTable", [] as RouteTableEntry[]);
  app.decorateRequest("actor", null);
  app.decorateRequest("authSession", null);

  app.addHook("onRoute", (route) => {
    const url = route.url ?? route.path;
    let access = route.config?.access;
    if (!access) {
      if (url.startsWith("/api")) {
        throw new Error(
          `Route ${String(route.method)} ${url} declares no access (config.access); see hub/api/access.ts`,
        );
      }
      // Static dashboard files are public by design: the pages hold no data, the API behind them does.
      access = { auth: "public" };
      route.config = { ...(route.config ?? {}), access };
    }
    if (access.robotGrant && !url.includes(":robotId"))
      throw new Error(`Route ${url} needs a robot grant but has no :robotId parameter`);
    // The OpenAPI document says what each route needs (the same declaration that is enforced).
    if (route.schema && url.startsWith("/api")) {
      const open = access.auth === "public" || access.auth === "onboarding";
      const words = `${ACCESS_WORDS[access.auth]}${access.robotGrant ? ` Needs the "${access.robotGrant}" grant on the robot.` : ""}`;
      const schema = route.schema as { description?: string; security?: unknown };
      schema.security = open ? [] : [{ bearerToken: [] }, { sessionCookie: [] }];
      // HEAD routes reuse the GET route's schema object: describe it once.
      if (!schema.description?.includes(words))
        schema.description = schema.description ? `${schema.description}\n\n${words}` : words;
    }
    for (const method of [route.method].flat()) {
      app.routeTable.push({
        method,
        url,
        access,
        websocket: Boolean((route as { websocket?: boolean }).websocket),
      });
    }
  });

  let onboarded = false;
  const hasOwner = () => {
    onboarded ||= services.accounts.hasOwner();
    return onboarded;
  };

  app.addHook("onRequest", async (req, reply) => {
    const access = req.routeOptions.config?.access;
    if (!access) return; // 404 handler
    authenticate(req, reply, services);
    if (access.auth === "public") return;
    if (access.auth === "onboarding") {
      if (hasOwner()) throw new HubError("already_onboarded");
      return;
    }
    if (!hasOwner()) throw new HubError("onboarding_required");
    const actor = req.actor;
    if (!actor) {
      const presented = bearerOf(req) !== null || req.cookies[SESSION_COOKIE] !== undefined;
      throw new HubError(
        "unauthorized",
        presented ? "Your session or API token has expired or was revoked; sign in again" : undefined,
      );
    }
    checkCsrf(req);
    const needed = ROLE_FOR[access.auth] ?? "owner";
    if (!roleAtLeast(actor.role, needed)) {
      throw new HubError(
        "forbidden",
        `This needs the ${needed} role; you are ${actor.role === "admin" ? "an" : "a"} ${actor.role}`,
      );
    }
    if (actor.scopes) {
      const scope = scopeNeeded(req.method, access);
      if (!hasScope(actor.scopes, scope))
        throw new HubError("token_scope", `This request needs an API token with the "${scope}" scope`);
    }
    if (access.robotGrant) {
      const robotId = (req.params as { robotId?: string }).robotId ?? "";
      if (!services.accounts.can(actor, robotId, access.robotGrant)) {
        throw new HubError(
          "robot_access_denied",
          `You do not have "${access.robotGrant}" access to this robot`,
          {
            grant: access.robotGrant,
          },
        );
      }
    }
  });

  // onSend, not onResponse: the entry is written before the client sees the answer, so a client that reads
  // its audit trail right after a request finds the request in it.
  app.addHook("onSend", async (req, reply) => {
    const access = req.routeOptions.config?.access;
    if (!access || !req.actor) return;
    const robotId = (req.params as { robotId?: string } | undefined)?.robotId ?? null;
    if (access.audit && reply.statusCode < 300) {
      services.audit.record({ action: access.audit, actor: req.actor, robotId });
    } else if (reply.statusCode === 403) {
      services.audit.record({
        action: "access.denied",
        outcome: "denied",
        actor: req.actor,
        robotId,
        details: { method: req.method, route: req.routeOptions.url },
      });
    }
  });
}

function bearerOf(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m ? m[1]! : null;
}

/** Sets req.actor from a bearer token (preferred: integrations) or the session cookie (browsers). */
function authenticate(req: FastifyRequest, reply: FastifyReply, services: AccessServices): void {
  const client = clientInfo(req);
  const bearer = bearerOf(req);
  if (bearer !== null) {
    req.actor = services.signIn.authenticateToken(bearer, client);
    return;
  }
  const cookie = req.cookies[SESSION_COOKIE];
  if (cookie) {
    const found = services.signIn.authenticateSession(cookie, client);
    req.actor = found?.actor ?? null;
    req.authSession = found?.session ?? null;
    // Sessions expire sessionDays after their last use; the browser's cookies follow the server's record.
    const csrf = req.cookies[CSRF_COOKIE];
    if (found?.renewed && csrf)
      setSessionCookies(reply, {
        secret: cookie,
        csrfToken: csrf,
        expiresAt: found.session.expiresAt,
      });
  }
}

export function clientInfo(req: FastifyRequest): { ip: string; userAgent: string } {
  return { ip: req.ip, userAgent: String(req.headers["user-agent"] ?? "").slice(0, 512) };
}

/**
 * CSRF for cookie-authenticated requests (bearer tokens are never sent by browsers on their own): writes need
 * the session's CSRF token in X-CSRF-Token (double submit: the token is in a readable cookie and the login
 * response), and writes and WebSocket upgrades are refused when the browser says they come from another site
 * (Sec-Fetch-Site, Origin). SameSite=Strict on the cookie is a third layer.
 */
function checkCsrf(req: FastifyRequest): void {
  const session = req.authSession;
  if (!session) return;
  const isUpgrade = req.headers.upgrade?.toLowerCase() === "websocket";
  const unsafe = !SAFE_METHODS.has(req.method);
  if (!unsafe && !isUpgrade) return;
  const site = req.headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none")
    throw new HubError("csrf_failed", "Request refused: it comes from another site");
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let host = "";
    try {
      host = new URL(origin).host;
    } catch {
      // "null" or garbage: not our origin
    }
    if (host !== req.headers.host)
      throw new HubError("csrf_failed", "Request refused: it comes from another origin");
  }
  if (unsafe) {
    const header = req.headers[CSRF_HEADER];
    if (typeof header !== "string" || hashSecret(header) !== session.csrfHash)
      throw new HubError("csrf_failed");
  }
}

export function scopeNeeded(method: string, access: RouteAccess): TokenScope {
  if (SAFE_METHODS.has(method)) return "read";
  if (access.robotGrant === "control" || access.robotGrant === "camera") return "control";
  return "manage";
}

/** Scopes nest: manage includes control, control includes read. */
export function hasScope(scopes: readonly TokenScope[], needed: TokenScope): boolean {
  const rank = (s: TokenScope) => TOKEN_SCOPES.indexOf(s);
  return scopes.some((s) => rank(s) >= rank(needed));
}

/** The signed-in user; for handlers of routes whose access is user, admin or owner. */
export function actorOf(req: FastifyRequest): UserActor {
  if (!req.actor) throw new HubError("unauthorized");
  return req.actor;
}

/**
 * Answers a request that signed someone in (onboarding, an accepted invitation): a new session, its cookies,
 * and the body the dashboard needs (the account and the CSRF token).
 */
export function replySignedIn(
  reply: FastifyReply,
  services: AccessServices,
  user: UserRecord,
  client: { ip: string; userAgent: string },
): FastifyReply {
  const session = services.signIn.startSession(user, client);
  setSessionCookies(reply, { ...session, expiresAt: session.session.expiresAt });
  return reply
    .status(201)
    .send({ user: ownAccount(user), csrfToken: session.csrfToken, sessionId: session.session.id });
}

/** Sets the session and CSRF cookies after a sign-in. */
export function setSessionCookies(
  reply: FastifyReply,
  s: { secret: string; csrfToken: string; expiresAt: number },
): void {
  const secure = isHttps(reply.request);
  const common = { path: "/", sameSite: "strict" as const, secure, expires: new Date(s.expiresAt) };
  reply.setCookie(SESSION_COOKIE, s.secret, { ...common, httpOnly: true });
  reply.setCookie(CSRF_COOKIE, s.csrfToken, { ...common, httpOnly: false });
}

/**
 * Whether the browser reached the hub over HTTPS: the hub's own TLS, or a trusted reverse proxy's
 * (X-Forwarded-Proto counts only from an address in `http.trustProxy`; fastify checks that).
 */
export function isHttps(req: FastifyRequest): boolean {
  return req.protocol === "https";
}

export function clearSessionCookies(reply: FastifyReply): void {
  const secure = isHttps(reply.request);
  reply.clearCookie(SESSION_COOKIE, { path: "/", sameSite: "strict", secure, httpOnly: true });
  reply.clearCookie(CSRF_COOKIE, { path: "/", sameSite: "strict", secure });
}
