#!/usr/bin/env node
// Container HEALTHCHECK: exits 0 when the hub answers /api/health. Plain JavaScript so a check every 30 s
// costs a bare node start, not a TypeScript loader. The port comes from SWEEPHUB_HTTP_PORT, else
// config.yaml in the data folder, else the default 8470; the hub is asked on loopback whatever it binds.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

function configuredPort() {
  if (process.env.SWEEPHUB_HTTP_PORT) return Number(process.env.SWEEPHUB_HTTP_PORT);
  try {
    const file = join(process.env.SWEEPHUB_DATA || "data", "config.yaml");
    const port = parse(readFileSync(file, "utf8"))?.http?.port;
    if (Number.isInteger(port)) return port;
  } catch {
    // No or unreadable config: the hub uses its default too.
  }
  return 8470;
}

const url = `http://127.0.0.1:${configuredPort()}/api/health`;
try {
  const res = await fetch(url, { signal: AbortSignal.timeout(4000) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  process.exit(0);
} catch (err) {
  process.stderr.write(`sweephub healthcheck: ${url}: ${err.message}\n`);
  process.exit(1);
}
