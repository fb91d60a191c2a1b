/**
 * The simulator's control port (loopback only): what a person does to a physical robot — jam its brush, carry
 * it upstairs, drain its battery, power-cycle or factory-reset it — done over HTTP so tests, demos and
 * `sweephub sim-ctl` can do it. Every body is validated; errors are JSON with a message.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import Type from "typebox";
import { schemaIssues, validatorFor } from "../protocol/envelope.ts";
import { ProtocolError } from "../protocol/errors.ts";
import { RobotFaultSchema } from "../protocol/robot-state.ts";
import type { SimulatorFleet } from "./fleet.ts";

const FaultBody = Type.Object({ code: RobotFaultSchema }, { additionalProperties: false });
const FloorBody = Type.Object(
  { floor: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
const BatteryBody = Type.Object(
  { percent: Type.Integer({ minimum: 0, maximum: 100 }) },
  { additionalProperties: false },
);

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16 * 1024) throw new HttpError(413, "Body too large");
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "Body is not valid JSON");
  }
}

function check<T>(schema: Parameters<typeof validatorFor>[0], value: unknown): T {
  if (validatorFor(schema).Check(value)) return value as T;
  const first = schemaIssues(schema, value)[0];
  throw new HttpError(400, first ? `${first.path} ${first.message}` : "Invalid body");
}

export class ControlServer {
  readonly #fleet: SimulatorFleet;
  #server: Server | null = null;

  constructor(fleet: SimulatorFleet) {
    this.#fleet = fleet;
  }

  get port(): number {
    const a = this.#server?.address();
    return a && typeof a === "object" ? a.port : 0;
  }

  async start(port: number, host = "127.0.0.1"): Promise<number> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve, reject) => {
      this.#server?.once("error", reject);
      this.#server?.listen(port, host, () => resolve());
    });
    return this.port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
    this.#server?.closeAllConnections();
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      const parts = url.pathname.split("/").filter(Boolean);
      if (req.method === "GET" && url.pathname === "/robots") {
        send(200, { robots: this.#fleet.robots.map((r) => this.#describe(r.id)) });
        return;
      }
      if (parts[0] !== "robots" || parts.length !== 3) throw new HttpError(404, "Unknown path");
      const id = decodeURIComponent(parts[1] as string);
      const action = parts[2];
      let sim: ReturnType<SimulatorFleet["get"]>;
      try {
        sim = this.#fleet.get(id);
      } catch {
        throw new HttpError(404, `No simulated robot ${id}`);
      }
      const body = req.method === "POST" ? await readJson(req) : {};
      switch (`${req.method} ${action}`) {
        case "POST fault":
          sim.robot.injectFault(
            check<{ code: Parameters<typeof sim.robot.injectFault>[0] }>(FaultBody, body).code,
          );
          break;
        case "DELETE fault":
          sim.robot.clearFault();
          break;
        case "POST floor":
          sim.robot.setFloor(check<{ floor: string }>(FloorBody, body).floor);
          break;
        case "POST battery":
          sim.robot.setBattery(check<{ percent: number }>(BatteryBody, body).percent);
          break;
        case "POST restart":
          await this.#fleet.restart(id);
          break;
        case "POST factory-reset":
          await this.#fleet.restart(id, { factoryReset: true });
          break;
        default:
          throw new HttpError(404, `Unknown action ${req.method} ${action}`);
      }
      send(200, this.#describe(id));
    } catch (err) {
      if (err instanceof HttpError) send(err.status, { error: err.message });
      else if (err instanceof ProtocolError) send(409, { error: err.message, code: err.code });
      else send(500, { error: (err as Error).message });
    }
  }

  #describe(id: string) {
    const r = this.#fleet.get(id);
    return {
      id: r.id,
      name: r.name,
      plan: r.plan,
      port: r.server.port,
      setupCode: r.setupCode,
      paired: r.server.paired,
      fingerprint: r.server.fingerprint,
      state: r.robot.state(),
    };
  }
}
