/** The privacy report, per-robot consent switches, deleting a robot's data, and the HTTPS CA download. */
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { HubError } from "../../core/errors.ts";
import type { Consent } from "../../privacy/consent-repository.ts";
import { ConsentSchema } from "../../privacy/consent-repository.ts";
import { actorOf } from "../access.ts";
import { ErrorResponseSchema, RobotIdParams } from "../schemas.ts";

export async function privacyRoutes(app: FastifyInstance): Promise<void> {
  const s = app.deps.access;

  app.get(
    "/api/privacy",
    {
      config: { access: { auth: "user" } },
      schema: {
        summary:
          "What the hub stores, where (paths), for how long and who can see it, from the running configuration",
        tags: ["privacy"],
        response: { 200: Type.Record(Type.String(), Type.Unknown()) },
      },
    },
    (req) => s.dataRights.privacyReport(actorOf(req)),
  );

  app.get<{ Params: { robotId: string } }>(
    "/api/robots/:robotId/consent",
    {
      config: { access: { auth: "user", robotGrant: "view" } },
      schema: {
        summary: "The robot's consent switches: keep cleaning history, record camera",
        tags: ["privacy"],
        params: RobotIdParams,
        response: { 200: ConsentSchema, 404: ErrorResponseSchema },
      },
    },
    (req) => s.dataRights.consent(req.params.robotId),
  );

  app.put<{ Params: { robotId: string }; Body: Consent }>(
    "/api/robots/:robotId/consent",
    {
      config: { access: { auth: "admin" } },
      schema: {
        summary:
          "Set the robot's consent switches (off stops storing from now on; delete past data separately)",
        tags: ["privacy"],
        params: RobotIdParams,
        body: ConsentSchema,
        response: { 200: ConsentSchema, 404: ErrorResponseSchema },
      },
    },
    (req) => s.dataRights.setConsent(actorOf(req), req.params.robotId, req.body),
  );

  app.delete<{ Params: { robotId: string } }>(
    "/api/robots/:robotId/data",
    {
      config: { access: { auth: "admin" } },
      schema: {
        summary: "Delete everything stored about the robot (history, maps, recordings); it stays paired",
        tags: ["privacy"],
        params: RobotIdParams,
        response: { 204: Type.Null(), 404: ErrorResponseSchema },
      },
    },
    async (req, reply) => {
      await s.dataRights.deleteRobotData(actorOf(req), req.params.robotId);
      return reply.status(204).send();
    },
  );

  app.get(
    "/api/tls",
    {
      config: { access: { auth: "user" } },
      schema: {
        summary:
          "HTTPS: mode, the names the certificate covers, its expiry, and the CA fingerprint to compare",
        tags: ["operations"],
        response: {
          200: Type.Object({
            mode: Type.Enum(["off", "local-ca", "custom"] as const),
            names: Type.Array(Type.String()),
            notAfter: Type.Union([Type.String(), Type.Null()]),
            caFingerprint: Type.Union([Type.String(), Type.Null()]),
            caCertificate: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    () => ({
      mode: s.tls?.mode ?? ("off" as const),
      names: s.tls?.names ?? [],
      notAfter: s.tls?.notAfter ?? null,
      caFingerprint: s.tls?.caFingerprint ?? null,
      caCertificate: s.tls?.caCertPem ? "/api/tls/ca.crt" : null,
    }),
  );

  app.get(
    "/api/tls/ca.crt",
    {
      config: { access: { auth: "public" } },
      schema: {
        summary: "The hub's local CA certificate (PEM), to install as trusted in browsers and phones",
        tags: ["operations"],
        response: { 200: Type.String(), 404: ErrorResponseSchema },
      },
    },
    (_req, reply) => {
      if (!s.tls?.caCertPem) throw new HubError("not_found", "The hub does not use a local CA (tls.mode)");
      return reply
        .header("content-type", "application/x-pem-file")
        .header("content-disposition", 'attachment; filename="sweephub-ca.crt"')
        .send(s.tls.caCertPem);
    },
  );
}
