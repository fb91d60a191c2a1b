/** The audit log for owners and admins, with filters (each user reads their own at /api/me/audit). */
import type { FastifyInstance } from "fastify";
import Type, { type Static } from "typebox";
import { AUDIT_OUTCOMES, AuditEntrySchema, type AuditQuery } from "../../audit/audit-repository.ts";

/** Query strings are text and the API does not coerce types, so numbers are digit strings here. */
const Digits = (description: string) => Type.String({ pattern: "^[0-9]{1,15}$", description });

export const AuditQuerystring = Type.Object(
  {
    userId: Type.Optional(Type.String({ maxLength: 64, description: "done by this user" })),
    robotId: Type.Optional(Type.String({ maxLength: 64 })),
    action: Type.Optional(
      Type.String({ maxLength: 64, description: 'exact action, or a prefix ending in "." such as "auth."' }),
    ),
    outcome: Type.Optional(Type.Enum(AUDIT_OUTCOMES)),
    from: Type.Optional(Digits("ms since the epoch, inclusive")),
    to: Type.Optional(Digits("ms since the epoch, exclusive")),
    before: Type.Optional(Digits("paging: entries with a smaller id")),
    limit: Type.Optional(Digits("1-1000, default 100")),
  },
  { additionalProperties: false },
);

export function auditQueryFrom(q: Static<typeof AuditQuerystring>): AuditQuery {
  return {
    limit: q.limit === undefined ? 100 : Math.min(1000, Math.max(1, Number(q.limit))),
    ...(q.userId !== undefined ? { actorUserId: q.userId } : {}),
    ...(q.robotId !== undefined ? { robotId: q.robotId } : {}),
    ...(q.action !== undefined ? { action: q.action } : {}),
    ...(q.outcome !== undefined ? { outcome: q.outcome } : {}),
    ...(q.from !== undefined ? { from: Number(q.from) } : {}),
    ...(q.to !== undefined ? { to: Number(q.to) } : {}),
    ...(q.before !== undefined ? { before: Number(q.before) } : {}),
  };
}

export async function auditRoutes(app: FastifyInstance): Promise<void> {
  const { audit } = app.deps.access;
  app.get<{ Querystring: Static<typeof AuditQuerystring> }>(
    "/api/audit",
    {
      config: { access: { auth: "admin" } },
      schema: {
        summary: "Browse and filter the audit log, newest first",
        tags: ["audit"],
        querystring: AuditQuerystring,
        response: { 200: Type.Object({ entries: Type.Array(AuditEntrySchema) }) },
      },
    },
    (req) => ({ entries: audit.repo.query(auditQueryFrom(req.query)) }),
  );
}
