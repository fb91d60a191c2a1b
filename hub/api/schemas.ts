/** Shared response schemas of the HTTP API. */
import Type from "typebox";

export const ErrorResponseSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Object({}, { additionalProperties: true })),
    }),
  },
  { $id: undefined },
);

export const RobotIdParams = Type.Object(
  { robotId: Type.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9._-]+$" }) },
  { additionalProperties: false },
);

/** Error responses every robot route can return, for the OpenAPI document. */
export const robotErrorResponses = {
  400: ErrorResponseSchema,
  404: ErrorResponseSchema,
  409: ErrorResponseSchema,
  502: ErrorResponseSchema,
  503: ErrorResponseSchema,
  504: ErrorResponseSchema,
};
