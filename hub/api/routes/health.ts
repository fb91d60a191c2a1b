/** Liveness and readiness (for Docker HEALTHCHECK and orchestration). */
import type { FastifyInstance } from "fastify";
import Type from "typebox";

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  const started = Date.now();
  app.get(
    "/api/health",
    {
      config: { access: { auth: "public" } },
      schema: {
        summary: "Liveness: the hub process answers",
        tags: ["operations"],
        response: {
          200: Type.Object({ status: Type.Literal("ok"), version: Type.String(), uptimeS: Type.Number() }),
        },
      },
    },
    () => ({
      status: "ok" as const,
      version: app.deps.version,
      uptimeS: Math.round((Date.now() - started) / 1000),
    }),
  );
  app.get(
    "/api/ready",
    {
      config: { access: { auth: "public" } },
      schema: {
        summary: "Readiness: database open, migrations done, discovery running",
        tags: ["operations"],
        response: {
          200: Type.Object({ ready: Type.Boolean(), checks: Type.Record(Type.String(), Type.Boolean()) }),
          503: Type.Object({ ready: Type.Boolean(), checks: Type.Record(Type.String(), Type.Boolean()) }),
        },
      },
    },
    (_req, reply) => {
      const checks = app.deps.readiness();
      const ready = Object.values(checks).every(Boolean);
      return reply.status(ready ? 200 : 503).send({ ready, checks });
    },
  );
}
