# syntax=docker/dockerfile:1
# The application image: one image for every process of the system, chosen by the command
#   node dist/api/main.js                      HTTP API (port 3000)
#   node dist/worker/main.js                   Temporal worker (campaign task queue)
#   node dist/simulator/main.js                channel simulator for demos (port 4100)
#   node scripts/prisma.cjs migrate deploy     one-shot database migration
# See docs/deployment.md. Built for linux/amd64 and linux/arm64 (glibc): every native piece
# (Temporal core bridge, swc, esbuild) ships prebuilt for both in the lockfile's packages.

ARG NODE_VERSION=20

# ---- deps: all dependencies (dev included), for the TypeScript build --------------------------
FROM node:${NODE_VERSION}-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts, for three reasons:
# - the project's postinstall (`prisma generate`) needs prisma/, prisma.config.ts and the db/
#   adapter it imports; copying those here would rebuild this layer on every source change, so
#   generation runs explicitly in the build stage instead;
# - @prisma/engines' postinstall would download native engines the JS engine path never uses;
# - no dependency needs its install script: native parts come as prebuilt platform packages.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund

# ---- prod-deps: runtime dependencies only ------------------------------------------------------
# prisma (CLI, for migrate deploy) and tsx are runtime dependencies, so they are kept here.
FROM node:${NODE_VERSION}-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# ---- build: Prisma client + TypeScript -> dist/ --------------------------------------------------
FROM deps AS build
ENV CHECKPOINT_DISABLE=1
COPY . .
# Same command as the postinstall; scripts/prisma.cjs supplies a placeholder DATABASE_URL.
# The workflow bundle is built here too, so the worker reads a file at start instead of running webpack
# in its own process (~100 MB less worker memory, docs/benchmarks.md "Memory").
RUN node scripts/prisma.cjs generate \
 && npm run build \
 && node dist/worker/build-workflow-bundle.js dist/workflow-bundle.js \
 && test -f dist/api/main.js && test -f dist/worker/main.js && test -f dist/simulator/main.js
# The runtime stage copies this tree without the dev dependencies.
RUN rm -rf node_modules

# ---- runtime -----------------------------------------------------------------------------------
FROM node:${NODE_VERSION}-slim AS runtime
# CHECKPOINT_DISABLE / PRISMA_HIDE_UPDATE_MESSAGE: the Prisma CLI in the migrate container makes
# no telemetry call and prints no update notice.
ENV NODE_ENV=production \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js \
    CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1
WORKDIR /app
# jemalloc for the worker, which preloads it (docker-compose.yml: LD_PRELOAD): infra/allocator.ts says why.
# Linked at one path whatever the CPU ($(uname -m) is Debian's multiarch directory: x86_64 or aarch64).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libjemalloc2 \
 && ln -s "/usr/lib/$(uname -m)-linux-gnu/libjemalloc.so.2" /usr/local/lib/libjemalloc.so.2 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=prod-deps /app/node_modules ./node_modules
# dist/ runs the processes. The TypeScript sources ship too, because `prisma migrate deploy` loads
# prisma.config.ts, which imports db/adapter.ts. Files stay owned by root: the app user cannot modify its own code.
COPY --from=build /app ./
USER node
EXPOSE 3000 4100
# Run with an init process (compose `init: true`, or `docker run --init`) so SIGTERM reaches
# Node and the worker can drain before it exits.
CMD ["node", "dist/api/main.js"]
