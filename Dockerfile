# sweephub container image: `docker compose up -d` with compose.yaml, or see README.md "Running in Docker".
#
# Stage 1 (build) has the compilers and dev dependencies: it builds native modules (better-sqlite3 from
# source when no prebuilt binary can be downloaded), runs `npm run build` / `npm run build:web` (the dashboard
# bundle, so the read-only /app never needs a rebuild at start), then prunes to production dependencies.
# Stage 2 (runtime) is node:20-bookworm-slim minus what a running hub never uses (npm, yarn, Node's C headers),
# flattened into one layer, plus tini and the app.
# Works with Docker and with podman 4.3 (no COPY --link, no heredocs); build with `--format docker` under
# podman or the HEALTHCHECK is dropped.

FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# npm 11 runs install scripts only for the packages in package.json "allowScripts" (better-sqlite3).
RUN npm ci --no-audit --no-fund \
 && node -e 'new (require("better-sqlite3"))(":memory:").prepare("SELECT 1").get()'
COPY . .
RUN npm run build --if-present \
 && npm run build:web --if-present \
 && cp /usr/local/bin/node /tmp/node && strip /tmp/node \
 && npm prune --omit=dev --no-audit --no-fund \
 && sh scripts/prune-runtime.sh node_modules \
 && rm -rf test bench .ci \
 && node -e 'new (require("better-sqlite3"))(":memory:").prepare("SELECT 1").get()'

# The runtime filesystem: the node image without npm, yarn, corepack and headers (~80 MB nobody runs), and
# tini as PID 1 so SIGTERM from `docker stop` reaches the hub and zombies are reaped.
FROM node:20-bookworm-slim AS runtime-fs
# The same Node binary without its symbol table (~12 MB): stack traces keep their JavaScript frames.
COPY --from=build /tmp/node /usr/local/bin/node
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt/* /var/log/dpkg.log \
 && rm -rf /usr/local/lib/node_modules /usr/local/include /opt/yarn-* /usr/local/share/container-base \
           /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /usr/local/bin/yarn \
           /usr/local/bin/yarnpkg /root/.npm /tmp/* \
 && mkdir -p /data /app \
 && chown node:node /data

FROM scratch
COPY --from=runtime-fs / /
COPY --from=build --chown=root:root /app /app
RUN ln -s /app/bin/sweephub.mjs /usr/local/bin/sweephub && chmod 755 /app/bin/sweephub.mjs
WORKDIR /app
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    NODE_ENV=production \
    SWEEPHUB_DATA=/data \
    SWEEPHUB_HTTP_HOST=0.0.0.0 \
    SWEEPHUB_HTTP_PORT=8470
# 8470/tcp: dashboard and API. 5540/udp (and up): Matter. 5353/udp: mDNS. With network_mode: host (the
# recommended setup, see compose.yaml) these are documentation; with port mapping, publish 8470 only.
EXPOSE 8470/tcp 5540/udp 5353/udp
VOLUME /data
USER node
# Uses the hub's own port (environment, or config.yaml in /data); plain node, so it costs no TypeScript load.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "/app/bin/healthcheck.mjs"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/bin/sweephub.mjs"]
CMD ["start"]
