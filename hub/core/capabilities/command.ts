/**
 * A hub command: what the dashboard, the HTTP API, the WebSocket API and (later) Matter and MQTT call. Each
 * capability file declares its commands once; routes and docs are generated from the registry (index.ts).
 */
import type { Static, TSchema } from "typebox";
import type { Capability, MethodName, MethodPayload } from "../../../integrations/sweep/protocol/methods.ts";

export interface CommandDef<B extends TSchema = TSchema, M extends MethodName = MethodName> {
  /** URL-safe name: `POST /api/robots/:id/commands/<name>`. */
  name: string;
  capability: Capability;
  summary: string;
  body: B;
  method: M;
  toPayload(body: Static<B>): MethodPayload<M>;
}

export const defineCommand = <B extends TSchema, M extends MethodName>(
  def: CommandDef<B, M>,
): CommandDef<B, M> => def;
