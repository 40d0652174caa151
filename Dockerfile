# syntax=docker/dockerfile:1
# The BFF and the built task pane in one image. Three stages: `build` compiles the pane (webpack) and
# the server (tsc) with every dependency; `production-dependencies` installs only what the server
# needs at run time (native modules built for the same Debian as the runtime); `runtime` is the slim
# image with those two and nothing else, running as the unprivileged `node` user.
#   docker build -t office-llm-addin .
#   docker compose -f deploy/compose.yaml up      (two instances, Redis, nginx with TLS: README, Deployment)
ARG NODE_IMAGE=node:20.19-bookworm

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json webpack.config.js ./
COPY scripts ./scripts
COPY assets ./assets
COPY src ./src
COPY manifest.xml manifest.outlook.xml ./
# Production pane (office.js from Microsoft's CDN, as AppSource requires) into dist/taskpane, server into dist/server.
RUN npm run build

FROM ${NODE_IMAGE} AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    STATIC_DIR=/app/dist/taskpane
WORKDIR /app
COPY --from=production-dependencies --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
USER node
EXPOSE 3000
# Liveness only: a provider outage must not get the container restarted (readiness is /readyz, for the load balancer).
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/livez').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form, no shell in between: Node receives SIGTERM itself and shuts down gracefully (SHUTDOWN_GRACE_MS).
CMD ["node", "dist/server/main.js"]
