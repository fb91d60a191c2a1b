/**
 * Serves the dashboard (web/, docs/architecture.md §Dashboard): hashed assets under /assets/ cached for a year
 * (their names change with their content), index.html never cached, and every other GET outside /api/ answered
 * with index.html so the dashboard's own router handles deep links (/robots/abc after a reload). The bundle is
 * (re)built on start when missing or stale, so the hub always serves the dashboard of the code it runs.
 */
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";
import { DEFAULT_DIST, ensureWebBundle, hasBundle } from "../../../web/build.ts";
import { HubError } from "../../core/errors.ts";

export interface StaticOptions {
  /** Where the built dashboard lives (default web/dist). */
  distDir?: string;
}

export async function staticRoutes(app: FastifyInstance, options: StaticOptions): Promise<void> {
  const distDir = options.distDir ?? DEFAULT_DIST;
  const log = app.log.child({ service: "dashboard" });
  let unavailable: string | null = null;
  try {
    const started = performance.now();
    const { built, reason } = await ensureWebBundle(distDir);
    if (built) log.info({ reason, ms: Math.round(performance.now() - started) }, "dashboard bundle built");
  } catch (err) {
    if (hasBundle(distDir)) {
      // A production install (no esbuild, read-only app folder) whose file times moved: the bundle built with
      // the image is the right one.
      log.warn({ err }, "dashboard sources look newer than the bundle but it cannot be rebuilt; serving it");
    } else {
      // The API keeps working without the dashboard: say so on the page instead of failing the whole hub.
      unavailable = (err as Error).message;
      log.error({ err }, "dashboard bundle could not be built; run `npm run build:web`");
    }
  }

  await app.register(fastifyStatic, {
    root: join(distDir, "assets"),
    prefix: "/assets/",
    maxAge: "365d",
    immutable: true,
    index: false,
    // Checked against the filesystem on each request, so a rebuild while running is served too.
    wildcard: true,
  });

  const sendShell = (reply: FastifyReply) => {
    if (unavailable) {
      return reply
        .status(503)
        .type("text/plain; charset=utf-8")
        .send(`The dashboard is not built (${unavailable}). Run \`npm run build:web\` and restart the hub.`);
    }
    return reply
      .header("cache-control", "no-cache")
      .sendFile("index.html", distDir, { maxAge: 0, immutable: false, cacheControl: false });
  };

  app.get("/", { schema: { hide: true } }, (_req, reply) => sendShell(reply));
  app.get<{ Params: { "*": string } }>("/*", { schema: { hide: true } }, (req, reply) => {
    const path = req.url.split("?")[0] ?? "";
    // Unknown API paths and missing assets stay errors: a JSON client must never receive the HTML page.
    if (path.startsWith("/api/") || path === "/api" || path.startsWith("/assets/")) {
      throw new HubError("not_found", `No route GET ${path}`);
    }
    return sendShell(reply);
  });
}
