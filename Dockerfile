# hie-gateway container image.
#   docker build -t hie-gateway .
# Configuration is by environment only (see src/config.ts and docker-compose.yml); no secret is
# baked into the image. BLOB_KEYS in particular must come from the runtime environment.

# ---- build stage: dev dependencies + TypeScript compile ----
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build \
 && mkdir -p ihe-profiles wsdl

# ---- runtime stage: production dependencies and compiled output only ----
FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/var/lib/hie-gateway
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev \
 && npm cache clean --force
# config.ts resolves ihe-profiles/ relative to dist/src/, i.e. /app/ihe-profiles.
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/portal-assets ./dist/portal-assets
COPY --from=build /app/ihe-profiles ./ihe-profiles
# wsdl/ may not exist yet in the source tree; the build stage creates it empty in that case.
COPY --from=build /app/wsdl ./wsdl
RUN mkdir -p /var/lib/hie-gateway \
 && chown node:node /var/lib/hie-gateway
# The official node image ships an unprivileged "node" user (uid 1000).
USER node
VOLUME ["/var/lib/hie-gateway"]
EXPOSE 8080
# node:20-slim has no curl/wget; Node 20's global fetch does the probe.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
