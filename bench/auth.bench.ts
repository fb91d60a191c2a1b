/**
 * What access control costs per request, and what a sign-in costs. A real hub (real SQLite) answers through
 * fastify's inject, so only the hub's own work is measured: a public route (baseline) against the same kind of
 * request authenticated by an API token (one SHA-256 and an indexed lookup) and by a session cookie (plus the
 * CSRF-free read path); and a full sign-in (argon2id verification, session written) against the baseline.
 */
import { join } from "node:path";
import pino from "pino";
import { startHub } from "../hub/main.ts";
import {
  type BenchContext,
  type BenchSection,
  type Latency,
  markdownTable,
  measureInterleaved,
  ms,
  summarize,
} from "./support/bench-section.ts";

const PASSWORD = "correct horse battery staple";

export default async function authBench(ctx: BenchContext): Promise<BenchSection> {
  const hub = await startHub({
    dataDir: join(ctx.tmpDir, "hub"),
    log: pino({ level: "silent" }),
    env: {
      SWEEPHUB_MATTER_ENABLED: "false",
      SWEEPHUB_DISCOVERY_ENABLED: "false",
      SWEEPHUB_METRICS_ENABLED: "false",
    },
    overrides: { http: { host: "127.0.0.1", port: 0 } },
  });
  try {
    const onboard = await hub.app.inject({
      method: "POST",
      url: "/api/onboarding",
      payload: { username: "owner", password: PASSWORD },
    });
    const cookie = onboard.cookies.find((c) => c.name === "sweephub_session")!;
    const csrf = (JSON.parse(onboard.body) as { csrfToken: string }).csrfToken;
    const created = await hub.app.inject({
      method: "POST",
      url: "/api/me/tokens",
      headers: { cookie: `sweephub_session=${cookie.value}`, "x-csrf-token": csrf },
      payload: { name: "bench", scopes: ["read"] },
    });
    const token = (JSON.parse(created.body) as { token: string }).token;
    const call =
      (url: string, headers: Record<string, string> = {}) =>
      async () => {
        const res = await hub.app.inject({ method: "GET", url, headers });
        if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
      };
    ctx.progress("auth: requests (public, token, cookie)");
    const [pub, tok, ses] = await measureInterleaved(
      [
        call("/api/auth/status"),
        call("/api/auth/status", { authorization: `Bearer ${token}` }),
        call("/api/auth/status", { cookie: `sweephub_session=${cookie.value}` }),
      ],
      { warmup: 200, count: 3000, maxMs: 60_000 },
    );
    ctx.progress("auth: sign-in (argon2id)");
    const login = async () => {
      const res = await hub.app.inject({
        method: "POST",
        url: "/api/auth/login",
        payload: { username: "owner", password: PASSWORD },
      });
      if (res.statusCode !== 200) throw new Error(`login: ${res.statusCode}`);
    };
    const [signIns, base] = await measureInterleaved([login, call("/api/auth/status")], {
      warmup: 3,
      count: 60,
      maxMs: 60_000,
      block: 10,
      settle: 1,
    });
    const p = summarize(pub!);
    const t = summarize(tok!);
    const c = summarize(ses!);
    const l = summarize(signIns!);
    const b = summarize(base!);
    /** A measured row: its latency and its ratios to the baseline measured beside it. */
    const row = (label: string, x: Latency, base: Latency, digits: number) => [
      label,
      String(x.count),
      ms(x.p50),
      ms(x.p99),
      (x.p50 / base.p50).toFixed(digits),
      (x.p99 / base.p99).toFixed(digits),
    ];
    return {
      title: "Access control and sign-in",
      table: markdownTable(
        ["request", "samples", "p50 ms", "p99 ms", "p50 vs public", "p99 vs public"],
        [
          ["public route (baseline)", String(p.count), ms(p.p50), ms(p.p99), "1.00", "1.00"],
          row("same route, API token", t, p, 2),
          row("same route, session cookie", c, p, 2),
          row("sign-in (argon2id m=19 MiB, t=2)", l, b, 0),
        ],
      ),
      notes: [
        "Through fastify's inject against a real hub and SQLite file, one request at a time, interleaved in blocks. " +
          "The authenticated rows add credential lookup (SHA-256 of the secret, one indexed SELECT of the credential and " +
          "one of the user) to the same handler.",
        "Sign-in is deliberately slow (argon2id with OWASP's minimum parameters) to make password guessing expensive; " +
          "its ratio is against a public request measured in the same blocks.",
      ],
    };
  } finally {
    await hub.stop();
  }
}
