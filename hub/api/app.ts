/**
 * Builds the fastify app (after fastify's "buildApp + inject" testing advice): route groups are encapsulated
 * plugins, every route has a JSON schema (validation, serialization, and the OpenAPI document at
 * /api/openapi.json), and every error leaves through one handler that speaks the hub's error registry.
 */
import fastifySwagger from "@fastify/swagger";
import fastifyWebsocket from "@fastify/websocket";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  LogController,
} from "fastify";
import { MAX_TEXT_FRAME_BYTES } from "../../integrations/sweep/protocol/constants.ts";
import { HubError } from "../core/errors.ts";
import type { EventBus } from "../core/event-bus.ts";
import type { DiscoveryService } from "../discovery/discovery-service.ts";
import type { Logger } from "../logging.ts";
import type { MapService } from "../maps/map-service.ts";
import type { MatterService } from "../matter/matter-service.ts";
import type { RobotManager } from "../robots/robot-manager.ts";
import type { CleaningRepository } from "../store/cleaning-repository.ts";
import { installAccessControl, OPENAPI_SECURITY_SCHEMES } from "./access.ts";
import type { AccessServices } from "./access-services.ts";
import { auditRoutes } from "./routes/audit.ts";
import { authRoutes } from "./routes/auth.ts";
import { commandRoutes } from "./routes/commands.ts";
import { discoveryRoutes } from "./routes/discovery.ts";
import { healthRoutes } from "./routes/health.ts";
import { invitationRoutes } from "./routes/invitations.ts";
import { mapRoutes } from "./routes/maps.ts";
import { matterRoutes } from "./routes/matter.ts";
import { meRoutes } from "./routes/me.ts";
import { privacyRoutes } from "./routes/privacy.ts";
import { robotRoutes } from "./routes/robots.ts";
import { staticRoutes } from "./routes/static.ts";
import { userRoutes } from "./routes/users.ts";
import { websocketRoutes } from "./routes/websocket.ts";

export interface ApiDeps {
  log: Logger;
  bus: EventBus;
  robots: RobotManager;
  discovery: DiscoveryService | null;
  cleaning: CleaningRepository;
  /** Absent in API-only tests; present (perhaps disabled) in a running hub. */
  matter?: MatterService;
  /** Maps (hub/maps); absent in API-only tests. */
  maps?: MapService;
  /** Accounts, sessions, audit, data rights (hub/auth, hub/audit, hub/privacy); see access.ts. */
  access: AccessServices;
  hubName: string;
  version: string;
  readiness: () => Record<string, boolean>;
  /** `http.trustProxy`: comma-separated addresses or networks of reverse proxies whose X-Forwarded-* count. */
  trustProxy?: string;
}

declare module "fastify" {
  interface FastifyInstance {
    deps: ApiDeps;
  }
}

/** Largest JSON body the API accepts; commands and pairing requests are tiny. */
export const MAX_BODY_BYTES = 256 * 1024;

export async function buildApp(deps: ApiDeps): Promise<FastifyInstance> {
  const tls = deps.access.tls;
  const trustedProxies = (deps.trustProxy ?? "")
    .split(",")
    .map((a) => a.trim())
    .filter((a) => a !== "");
  const app = Fastify({
    ...(tls ? { https: { key: tls.keyPem, cert: tls.certPem } } : {}),
    loggerInstance: deps.log.child({ service: "http" }) as unknown as FastifyBaseLogger,
    // Request lines would log every poll of every dashboard; errors are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: MAX_BODY_BYTES,
    // Only listed proxies may say who the client is (req.ip) and whether it came over HTTPS (req.protocol).
    ...(trustedProxies.length > 0 ? { trustProxy: trustedProxies } : {}),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  }) as unknown as FastifyInstance;
  app.decorate("deps", deps);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "sweephub API",
        version: deps.version,
        description:
          "Local API of the sweephub robot vacuum hub. See docs/api.md for the WebSocket protocol.",
      },
      components: { securitySchemes: OPENAPI_SECURITY_SCHEMES },
    },
  });
  await app.register(fastifyWebsocket, { options: { maxPayload: MAX_TEXT_FRAME_BYTES } });
  // Before any route: every route must declare its access (hub/api/access.ts).
  await installAccessControl(app, { services: deps.access, secure: tls !== null });
  app.setErrorHandler((error: FastifyError | HubError, request, reply) => {
    const hubError = toApiError(error);
    if (hubError.status >= 500 && hubError.code === "internal") {
      request.log.error({ err: error, url: request.url }, "request failed");
    }
    const retryAfterS = hubError.details?.retryAfterS;
    if (typeof retryAfterS === "number") reply.header("retry-after", String(retryAfterS));
    return reply.status(hubError.status).send(hubError.toJSON());
  });
  app.setNotFoundHandler((request, reply) => {
    const e = new HubError("not_found", `No route ${request.method} ${request.url.split("?")[0]}`);
    return reply.status(404).send(e.toJSON());
  });
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(meRoutes);
  await app.register(userRoutes);
  await app.register(invitationRoutes);
  await app.register(auditRoutes);
  await app.register(privacyRoutes);
  await app.register(robotRoutes);
  await app.register(commandRoutes);
  await app.register(discoveryRoutes);
  await app.register(websocketRoutes);
  if (deps.matter) await app.register(matterRoutes(deps.matter));
  if (deps.maps) await app.register(mapRoutes(deps.maps));
  await app.register(staticRoutes);
  app.get("/api/openapi.json", { config: { access: { auth: "public" } }, schema: { hide: true } }, () =>
    app.swagger(),
  );
  return app;
}

function toApiError(error: FastifyError | HubError): HubError {
  if (error instanceof HubError) return error;
  const e = error as FastifyError;
  if (e.validation) {
    const first = e.validation[0];
    const path =
      first?.instancePath || (first?.params as { missingProperty?: string })?.missingProperty || "";
    return new HubError(
      "invalid_request",
      `${e.validationContext ?? "body"}${path ? ` ${path}` : ""}: ${first?.message ?? "invalid"}`,
      {
        issues: e.validation
          .slice(0, 5)
          .map((v) => ({ path: v.instancePath || "/", message: v.message ?? "invalid" })),
      },
    );
  }
  switch (e.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new HubError("payload_too_large", `The request body is larger than ${MAX_BODY_BYTES} bytes`);
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new HubError("unsupported_media_type");
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new HubError("invalid_request", "The request body is empty; send a JSON object");
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return new HubError("invalid_request", "The request body is not valid JSON");
    default:
      if (e.statusCode === 400 && e.message?.includes("JSON"))
        return new HubError("invalid_request", "The request body is not valid JSON");
      if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500)
        return new HubError("invalid_request", e.message);
      return new HubError("internal");
  }
}
