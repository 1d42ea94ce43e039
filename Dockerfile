# syntax=docker/dockerfile:1
# The backupql gateway. Build: docker build -t backupql:0.1.0 .
# Run:   docker run -p 4000:4000 -v "$PWD/config.yaml:/etc/backupql/config.yaml:ro" --env-file secrets.env backupql:0.1.0
# (docs/operations.md; test/deploy/deploy.test.ts checks this file's shape.)

# --- build: compile TypeScript, then keep only the production dependencies ------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
# Dependencies first: this layer is reused until package.json or the lock file changes.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY schema ./schema
# The dashboard (web/ → web/dist/, served at `/`); its generated query types are committed.
COPY web ./web
RUN npm run build \
 && npm run build:web \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# --- runtime: compiled JavaScript, the SDL it reads at start, production node_modules -------------
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and not writable by the process (it writes nothing to disk).
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# dist/graphql/schema.js reads the SDL from ../../schema/ at start: schema/ sits next to dist/.
COPY --from=build /app/schema ./schema
# dist/graphql/dashboard.js serves ../../web/dist/ at `/`.
COPY --from=build /app/web/dist ./web/dist
# The image's unprivileged user (uid 1000, as the Kubernetes manifests' runAsUser).
USER node
EXPOSE 4000
# No curl in the slim image: Node's own fetch. /health is liveness only (no upstream call).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The program is the ENTRYPOINT, its arguments the CMD: the Kubernetes container's `args` replace
# only the CMD (with the node image's own entrypoint, `args` starting with `-` would go to node).
# The heap limit is `npm start`'s (package.json): V8's default would let garbage grow the process
# far past deploy/kubernetes' 512Mi limit.
ENTRYPOINT ["node", "--max-old-space-size=256", "dist/main.js"]
CMD ["--config", "/etc/backupql/config.yaml"]
