# syntax=docker/dockerfile:1
# The e-mart image: one image for every entry point, run as
#   node /app/dist/udfs/cli.js <transformer|enrich|aggregate|postgres-sink>   (emart-udf, Numaflow UDFs)
#   node /app/dist/generator/cli.js                                           (emart-generator)
#   node /app/dist/tui/cli.js                                                 (emart-tui, the default)
# Build: docker build -t emart:0.1.0 .

ARG NODE_IMAGE=node:22.20.0-bookworm-slim

# --- build: all dependencies, TypeScript -> dist/ -------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/numaflow/package.json packages/numaflow/
# --ignore-scripts: `prepare` would build before the sources are copied (and the tests' PostgreSQL
# binaries are not needed); the build follows explicitly once they are.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY packages/numaflow/tsconfig.json packages/numaflow/
COPY packages/numaflow/src ./packages/numaflow/src
COPY src ./src
RUN npm run build

# --- runtime: production dependencies, the build, the protos --------------------------------------------
FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# The workspace package @emart/numaflow: npm links node_modules/@emart/numaflow to it.
COPY packages/numaflow/package.json packages/numaflow/
# --ignore-scripts: `prepare` builds with tsc, a development dependency; dist/ comes from the build stage.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/packages/numaflow/dist ./packages/numaflow/dist
# The contract's reference, shipped with the package (the servers encode by hand and never load them).
COPY packages/numaflow/protos ./packages/numaflow/protos
# The image's "node" user, by number so that Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
CMD ["node", "/app/dist/tui/cli.js"]
