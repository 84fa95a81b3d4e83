# OMNIPAY Assistant image.
#
#   docker build -t omnipay .
#   docker run -d --name omnipay --env-file .env -p 8080:8080 -v omnipay-data:/data omnipay
#   docker exec omnipay node bin/omnipay.mjs cards issue --email jane@example.com   # operator commands
#   docker run -it --rm -e APP_SECRET=$(openssl rand -hex 32) omnipay               # console chat (demo)
#
# The image runs with NODE_ENV=production: APP_SECRET is required and the test hooks are refused.
# HTTP_PORT defaults to 8080 here (for /healthz and /metrics). With no chat channel configured and no
# terminal attached, the console chat has no input and the container keeps serving HTTP.
#
# Start-up runs `omnipay migrate` (Prisma-format SQL migrations, recorded in _prisma_migrations,
# under Prisma's advisory lock so several replicas can start at once), then the assistant. With no
# DATABASE_URL it uses the embedded database in /data (one container at a time); for several
# replicas set DATABASE_URL, REDIS_URL and APP_SECRET (see .env.example and the README).

# --- build: install everything, generate the Prisma client and the embedded-database image --------
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NODE_ENV=development
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
# postinstall runs `prisma generate` and builds the migrated PGlite image, so both need the sources.
COPY src ./src
COPY flows ./flows
RUN npm ci --no-audit --no-fund \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# --- runtime: only what runs, as an unprivileged user ---------------------------------------------
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    DATA_DIR=/data \
    HTTP_PORT=8080 \
    LOG_LEVEL=info
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/src ./src
COPY package.json package-lock.json tsconfig.json prisma.config.ts ./
COPY bin ./bin
COPY flows ./flows
COPY prisma ./prisma
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# /healthz answers 200 when the database (and Redis, if configured) answer.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.HTTP_PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# exec: the assistant itself receives SIGTERM and shuts down gracefully (finishes turns in flight).
CMD ["sh", "-c", "node bin/omnipay.mjs migrate && exec node --import tsx src/main.ts"]
