# syntax=docker/dockerfile:1
# Access Desk: the compiled bot on Node 24, production dependencies only, as a non-root user.
# scripts/image-check.sh plays this file's COPY and npm steps in temp folders and starts the result
# against the fake Slack and the vendor simulators (CI has no Docker engine), so keep each step on
# one instruction: COPY lines and `RUN npm …` lines are what it reads.
ARG NODE_IMAGE=node:24-slim

# ── build: every dependency, TypeScript → dist/ (relative imports rewritten to .js) ──
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ── runtime: production dependencies and dist/ only ──
FROM ${NODE_IMAGE} AS runtime
# tini as PID 1 forwards SIGTERM/SIGINT to node and reaps zombies; node then stops gracefully.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# The npm cache stays in a BuildKit cache mount, out of the image.
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist ./dist
# doctor compares the granted scopes with the manifest.
COPY manifest.yml ./
# The SQLite store lives on the volume; with DATABASE_URL set (PostgreSQL) it stays unused.
RUN mkdir -p /data && chown node:node /data
# Memory, set after the npm steps (BENCHMARKS.md, "Memory"; README, "Run with Docker"): without
# limits V8 sizes its heap from the host's memory and leaves garbage uncollected, and glibc keeps a
# malloc arena per thread. A 256 MiB old space makes V8 collect sooner, 8 MiB semi-spaces keep the
# young generation small (2 MiB ended at the same RSS for twice the GC time), two arenas bound the
# native part. A 10,000-row bulk file's live heap peaks near 85 MiB. With a bigger container limit
# raise --max-old-space-size (about 256 MiB under the limit) by setting NODE_OPTIONS, which replaces
# this value: keep both flags.
ENV NODE_OPTIONS="--max-old-space-size=256 --max-semi-space-size=8" \
    MALLOC_ARENA_MAX=2
ENV STORE_SQLITE_PATH=/data/access-desk.db \
    HEALTH_PORT=8080
VOLUME ["/data"]
USER node
EXPOSE 8080 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.HEALTH_PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/main.js"]
