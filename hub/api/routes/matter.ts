/**
 * Matter (docs/api.md "Matter"): the service's status, and per robot the pairing codes while commissionable, the
 * controllers (fabrics) it is shared with, removing one, and opening a new commissioning window (multi-admin).
 * Pairing codes let anyone on the network take control of a robot, so every route is for the owner only.
 */
import type { FastifyContextConfig, FastifyInstance } from "fastify";
import Type from "typebox";
import { HubError } from "../../core/errors.ts";
import type { MatterService } from "../../matter/matter-service.ts";
import { MatterNodeInfoSchema, MatterStatusSchema } from "../../matter/matter-types.ts";
import { ErrorResponseSchema, RobotIdParams } from "../schemas.ts";

const ownerOnly = { access: { auth: "owner" } } as FastifyContextConfig;

const FabricParams = Type.Object(
  {
    robotId: RobotIdParams.properties.robotId,
    fabricIndex: Type.String({
      pattern: "^[1-9][0-9]{0,2}$",
      description: "from the node's fabrics list (1-254)",
    }),
  },
  { additionalProperties: false },
);

const errors = { 404: ErrorResponseSchema, 409: ErrorResponseSchema, 503: ErrorResponseSchema };

export function matterRoutes(matter: MatterService) {
  return async (app: FastifyInstance): Promise<void> => {
    const { robots } = app.deps;
    const node = (robotId: string) => {
      robots.get(robotId); // robot_not_found before anything Matter-specific
      return matter.node(robotId);
    };

    app.get(
      "/api/matter",
      {
        config: ownerOnly,
        schema: {
          summary: "Matter status: enabled, starting/running/failed, mode, and every node",
          tags: ["matter"],
          response: { 200: MatterStatusSchema },
        },
      },
      () => matter.currentStatus(),
    );

    app.get<{ Params: { robotId: string } }>(
      "/api/robots/:robotId/matter",
      {
        config: ownerOnly,
        schema: {
          summary:
            "The robot's Matter node: pairing codes while commissionable, and its controllers (fabrics)",
          tags: ["matter"],
          params: RobotIdParams,
          response: { 200: MatterNodeInfoSchema, ...errors },
        },
      },
      (req) => node(req.params.robotId),
    );

    app.post<{ Params: { robotId: string } }>(
      "/api/robots/:robotId/matter/commissioning-window",
      {
        config: ownerOnly,
        schema: {
          summary:
            "Open a 15-minute commissioning window to add the robot to another controller (multi-admin)",
          tags: ["matter"],
          params: RobotIdParams,
          response: { 200: MatterNodeInfoSchema, ...errors },
        },
      },
      async (req) => {
        robots.get(req.params.robotId);
        return matter.openCommissioningWindow(req.params.robotId);
      },
    );

    app.delete<{ Params: { robotId: string; fabricIndex: string } }>(
      "/api/robots/:robotId/matter/fabrics/:fabricIndex",
      {
        config: ownerOnly,
        schema: {
          summary: "Remove a controller (fabric): it can no longer see or control the robot",
          tags: ["matter"],
          params: FabricParams,
          response: { 200: MatterNodeInfoSchema, ...errors, 400: ErrorResponseSchema },
        },
      },
      async (req) => {
        robots.get(req.params.robotId);
        const fabricIndex = Number(req.params.fabricIndex);
        if (fabricIndex > 254) throw new HubError("invalid_request", "fabricIndex must be 1-254");
        return matter.removeFabric(req.params.robotId, fabricIndex);
      },
    );
  };
}
