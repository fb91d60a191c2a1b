/** Robots announced on the network by mDNS, and a rescan trigger. */
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { DiscoveredRobotSchema } from "../../core/robot-view.ts";

export async function discoveryRoutes(app: FastifyInstance): Promise<void> {
  const { discovery } = app.deps;
  app.get(
    "/api/discovery",
    {
      config: { access: { auth: "admin" } },
      schema: {
        summary: "Robots found on the network (paired ones are marked `known`)",
        tags: ["discovery"],
        response: {
          200: Type.Object({ enabled: Type.Boolean(), robots: Type.Array(DiscoveredRobotSchema) }),
        },
      },
    },
    () => ({ enabled: discovery !== null, robots: discovery?.list() ?? [] }),
  );
  app.post(
    "/api/discovery/scan",
    {
      config: { access: { auth: "admin" } },
      schema: {
        summary: "Ask robots on the network to announce themselves now",
        tags: ["discovery"],
        response: { 202: Type.Object({ scanning: Type.Boolean() }) },
      },
    },
    (_req, reply) => {
      discovery?.rescan();
      return reply.status(202).send({ scanning: discovery !== null });
    },
  );
}
