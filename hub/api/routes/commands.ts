/**
 * One route per command, generated from the capability registry (hub/core/capabilities): adding a capability
 * adds its routes, its OpenAPI entries and its docs without touching this file.
 */
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { COMMANDS } from "../../core/capabilities/index.ts";
import { RobotViewSchema } from "../../core/robot-view.ts";
import { actorOf } from "../access.ts";
import { ErrorResponseSchema, RobotIdParams, robotErrorResponses } from "../schemas.ts";

export async function commandRoutes(app: FastifyInstance): Promise<void> {
  const { robots } = app.deps;
  app.get(
    "/api/commands",
    {
      config: { access: { auth: "user" } },
      schema: {
        summary: "Every command, its capability and its body schema",
        tags: ["commands"],
        response: {
          200: Type.Object({
            commands: Type.Array(
              Type.Object({
                name: Type.String(),
                capability: Type.String(),
                summary: Type.String(),
                body: Type.Object({}, { additionalProperties: true }),
              }),
            ),
          }),
        },
      },
    },
    () => ({
      commands: COMMANDS.map((c) => ({
        name: c.name,
        capability: c.capability,
        summary: c.summary,
        body: c.body,
      })),
    }),
  );
  for (const command of COMMANDS) {
    app.post<{ Params: { robotId: string }; Body: unknown }>(
      `/api/robots/:robotId/commands/${command.name}`,
      {
        config: { access: { auth: "user", robotGrant: "control" } },
        schema: {
          summary: command.summary,
          description: `Needs capability \`${command.capability}\`. Answers with the robot as it is after the command.`,
          tags: ["commands"],
          params: RobotIdParams,
          body: command.body,
          response: {
            200: Type.Object({ robot: RobotViewSchema }),
            ...robotErrorResponses,
            403: ErrorResponseSchema,
            422: ErrorResponseSchema,
          },
        },
      },
      async (req) => ({
        robot: await robots.command(req.params.robotId, command.name, req.body ?? {}, "api", actorOf(req)),
      }),
    );
  }
}
