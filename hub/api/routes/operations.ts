/**
 * Operations endpoints: Prometheus metrics (optionally behind a bearer token, for scrapers that cannot sign
 * in), and for the hub's owner: the log level at runtime, recent log lines, and backups. Registered by the
 * composition root with what it needs; `ownerOnly` is the accounts layer's check, applied to every route here
 * except metrics.
 */

import { createHash, timingSafeEqual } from "node:crypto";
import { createReadStream } from "node:fs";
import type { FastifyInstance, preHandlerHookHandler } from "fastify";
import Type, { type Static } from "typebox";
import { LOG_LEVELS, type LogLevel } from "../../config/schema.ts";
import { HubError } from "../../core/errors.ts";
import type { Logger } from "../../logging.ts";
import { BACKUP_KINDS } from "../../ops/backup-archive.ts";
import type { BackupService } from "../../ops/backup-service.ts";
import type { LogBuffer } from "../../ops/log-buffer.ts";
import type { HubMetrics } from "../../ops/metrics.ts";
import { ErrorResponseSchema } from "../schemas.ts";

export interface OperationsRoutesOptions {
  metrics: HubMetrics | null;
  /** Bearer token required by /api/metrics; "" for none. */
  metricsToken: string;
  /** The root logger, whose level is the hub's log level. */
  log: Logger;
  configuredLevel: LogLevel;
  logBuffer: LogBuffer | null;
  backups: BackupService | null;
  ownerOnly?: preHandlerHookHandler;
}

const LevelSchema = Type.Enum(LOG_LEVELS);
const LogLevelBody = Type.Object({ level: LevelSchema }, { additionalProperties: false });
const LogLevelResponse = Type.Object({
  level: LevelSchema,
  configured: Type.String({ description: "log.level from the configuration, used again after a restart" }),
});
// Query strings arrive as text and the API does not coerce types: numbers are digit strings, checked here.
const Digits = (description: string) => Type.String({ pattern: "^[0-9]{1,15}$", description });
const LogsQuery = Type.Object(
  {
    after: Type.Optional(Digits("only lines after this seq (for polling)")),
    level: Type.Optional(LevelSchema),
    service: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    limit: Type.Optional(Digits("at most this many of the newest lines, 1 to 1000 (default 200)")),
  },
  { additionalProperties: false },
);
const LogEntrySchema = Type.Object({
  seq: Type.Integer(),
  time: Type.Number(),
  level: LevelSchema,
  service: Type.Union([Type.String(), Type.Null()]),
  msg: Type.String(),
  fields: Type.Object({}, { additionalProperties: true }),
});
const BackupSchema = Type.Object({
  name: Type.String(),
  kind: Type.Enum(BACKUP_KINDS),
  bytes: Type.Integer(),
  createdAt: Type.Number(),
});
const BackupName = Type.Object(
  {
    name: Type.String({ pattern: "^sweephub-[a-z0-9-]+-\\d{8}T\\d{6}\\d{0,3}Z\\.tar\\.gz$", maxLength: 128 }),
  },
  { additionalProperties: false },
);

export async function operationsRoutes(app: FastifyInstance, opts: OperationsRoutesOptions): Promise<void> {
  // Access is declared per route and enforced by hub/api/access.ts; `ownerOnly` stays as an extra hook.
  const owner = {
    config: { access: { auth: "owner" as const } },
    ...(opts.ownerOnly ? { preHandler: opts.ownerOnly } : {}),
  };
  const { metrics } = opts;
  if (metrics) {
    const expected = opts.metricsToken ? digest(opts.metricsToken) : null;
    app.get(
      "/api/metrics",
      {
        // Public to the accounts layer: scrapers use the optional metrics.token checked below instead.
        config: { access: { auth: "public" } },
        schema: {
          summary: "Prometheus metrics (text exposition format)",
          description: "With metrics.token set, send `Authorization: Bearer <token>`.",
          tags: ["operations"],
          produces: ["text/plain"],
          response: { 200: Type.String(), 401: ErrorResponseSchema },
        },
      },
      async (req, reply) => {
        if (expected) {
          const header = req.headers.authorization ?? "";
          const given = header.startsWith("Bearer ") ? header.slice(7).trim() : "";
          if (!timingSafeEqual(digest(given), expected)) {
            reply.header("www-authenticate", 'Bearer realm="sweephub metrics"');
            throw new HubError(
              "unauthorized",
              "Send the metrics token: Authorization: Bearer <metrics.token>",
            );
          }
        }
        return reply.type(metrics.contentType).send(await metrics.text());
      },
    );
  }

  app.get(
    "/api/system/log-level",
    {
      ...owner,
      schema: {
        summary: "The hub's current log level",
        tags: ["operations"],
        response: { 200: LogLevelResponse },
      },
    },
    () => ({ level: opts.log.level as LogLevel, configured: opts.configuredLevel }),
  );
  app.put<{ Body: Static<typeof LogLevelBody> }>(
    "/api/system/log-level",
    {
      ...owner,
      config: { access: { auth: "owner" as const, audit: "settings.log_level_changed" } },
      schema: {
        summary: "Change the log level now (until the next restart; log.level in the config is kept)",
        tags: ["operations"],
        body: LogLevelBody,
        response: { 200: LogLevelResponse, 400: ErrorResponseSchema },
      },
    },
    (req) => {
      const previous = opts.log.level;
      opts.log.level = req.body.level;
      opts.log.info({ previous, level: req.body.level }, "log level changed");
      return { level: req.body.level, configured: opts.configuredLevel };
    },
  );

  const buffer = opts.logBuffer;
  if (buffer) {
    app.get<{ Querystring: Static<typeof LogsQuery> }>(
      "/api/system/logs",
      {
        ...owner,
        schema: {
          summary: "Recent log lines (secrets redacted), oldest first",
          tags: ["operations"],
          querystring: LogsQuery,
          response: {
            200: Type.Object({ entries: Type.Array(LogEntrySchema), lastSeq: Type.Integer() }),
            400: ErrorResponseSchema,
          },
        },
      },
      (req) => {
        const { after, level, service, limit } = req.query;
        return {
          entries: buffer.query({
            ...(after !== undefined ? { after: Number(after) } : {}),
            ...(level ? { level } : {}),
            ...(service ? { service } : {}),
            limit: Math.min(1000, Math.max(1, Number(limit ?? 200))),
          }),
          lastSeq: buffer.lastSeq,
        };
      },
    );
  }

  const backups = opts.backups;
  if (backups) {
    app.get(
      "/api/system/backups",
      {
        ...owner,
        schema: {
          summary: "Backup archives in the backup folder, newest first",
          tags: ["operations"],
          response: {
            200: Type.Object({
              dir: Type.String(),
              nextScheduledAt: Type.Union([Type.Number(), Type.Null()]),
              backups: Type.Array(BackupSchema),
            }),
          },
        },
      },
      () => ({
        dir: backups.dir,
        nextScheduledAt: backups.nextDue(),
        backups: backups.list().map(({ name, kind, bytes, createdAt }) => ({ name, kind, bytes, createdAt })),
      }),
    );
    app.post(
      "/api/system/backups",
      {
        ...owner,
        config: { access: { auth: "owner" as const, audit: "backup.created" } },
        schema: {
          summary: "Write a backup now (waits for it; a running backup finishes first)",
          tags: ["operations"],
          response: { 201: BackupSchema, 500: ErrorResponseSchema },
        },
      },
      async (_req, reply) => {
        const result = await backups.backupNow("manual");
        const file = backups.list().find((b) => b.path === result.file);
        if (!file) throw new HubError("internal", "The backup was written but is not in the backup folder");
        return reply
          .status(201)
          .send({ name: file.name, kind: file.kind, bytes: file.bytes, createdAt: file.createdAt });
      },
    );
    app.get<{ Params: Static<typeof BackupName> }>(
      "/api/system/backups/:name",
      {
        ...owner,
        // A backup holds everyone's data: each download is on the record.
        config: { access: { auth: "owner" as const, audit: "backup.downloaded" } },
        schema: {
          summary: "Download a backup archive",
          tags: ["operations"],
          params: BackupName,
          produces: ["application/gzip"],
          response: { 404: ErrorResponseSchema },
        },
      },
      (req, reply) => {
        const file = backups.list().find((b) => b.name === req.params.name);
        if (!file) throw new HubError("not_found", `No backup named ${req.params.name}`);
        return reply
          .type("application/gzip")
          .header("content-disposition", `attachment; filename="${file.name}"`)
          .header("content-length", file.bytes)
          .send(createReadStream(file.path));
      },
    );
  }
}

function digest(s: string): Buffer {
  return createHash("sha256").update(s).digest();
}
