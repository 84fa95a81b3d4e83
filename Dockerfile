# OMNIPAY Assistant image.
#
#   docker build -t omnipay .
#   docker run -d --name omnipay --env-file .env -p 8080:8080 -v omnipay-data:/data omnipay
#   docker exec omnipay node bin/omnipay.mjs cards issue --email jane@example.com   # operator commands
#
# The image runs with NODE_ENV=production: APP_SECRET and PAYMENT_WEBHOOK_SECRET are required and the
# test hooks are refused (no sandbox payments). HTTP_PORT defaults to 8080 here (webhooks, /healthz);
# /metrics listens on METRICS_PORT (9464) bound to METRICS_HOST (default 127.0.0.1: set 0.0.0.0 for a
# scraper on the container network, and do not publish it). With no chat channel configured and no
# terminal attached, the console chat has no input and the container keeps serving HTTP.
#
# Start-up runs `omnipay migrate` (Prisma-format SQL migrations, recorded in _prisma_migrations,
# under Prisma's advisory lock so several replicas can start at once), then the assistant. With no
# DATABASE_URL it uses the embedded database in /data (one container at a time); for several
# replicas set DATABASE_URL, REDIS_URL and APP_SECRET (see .env.example and the README).

# --- build: install everything; `npm ci` runs postinstall, which generates the Prisma client,
# compiles the TypeScript into dist/ (scripts/build.mjs, esbuild) and builds the migrated
# embedded-database image into node_modules/.cache; then the dev dependencies (compiler, tsx,
# esbuild, Prisma CLI, test tools) are pruned away. `npm prune --omit=dev` alone keeps a dev
# dependency that is also an optional peer of a production one (prisma and typescript are optional
# peers of @prisma/client), so this stage's package.json loses its devDependencies first (the
# runtime stage copies the original). src/testkit is not in the build context (.dockerignore), so
# dist/ has no test kit either.
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NODE_ENV=development
COPY package.json package-lock.json prisma.config.ts tsconfig.json tsconfig.build.json ./
COPY prisma ./prisma
COPY scripts/build.mjs ./scripts/build.mjs
COPY src ./src
COPY flows ./flows
RUN npm ci --no-audit --no-fund \
 && test -f dist/src/main.js && test ! -e dist/src/testkit \
 && npm pkg delete devDependencies \
 && npm prune --omit=dev --no-audit --no-fund \
 && test ! -e node_modules/typescript && test ! -e node_modules/tsx && test ! -e node_modules/prisma \
 && test -f node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf && test -f node_modules/@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf \
 && npm cache clean --force

# --- runtime: only what runs, as an unprivileged user ---------------------------------------------
# The compiled program, the production dependencies (with the PGlite image) and the files the
# program reads at run time, found from the package root /app: package.json, the SQL migrations and
# the Fluent catalogues. No TypeScript sources, no compiler, no tsx, no test kit.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    DATA_DIR=/data \
    HTTP_PORT=8080 \
    LOG_LEVEL=info
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY prisma/migrations ./prisma/migrations
COPY src/i18n/en ./src/i18n/en
COPY src/i18n/ja ./src/i18n/ja
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# /healthz answers 200 when the database (and Redis, if configured) answer.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.HTTP_PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# exec: the assistant itself receives SIGTERM and shuts down gracefully (finishes turns in flight).
CMD ["sh", "-c", "node bin/omnipay.mjs migrate && exec node dist/src/main.js"]
