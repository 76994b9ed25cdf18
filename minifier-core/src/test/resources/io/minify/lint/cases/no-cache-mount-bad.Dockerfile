# A build stage without a cache mount downloads every time (the cache does not ship).
# expect: 7 info no-cache-mount
# dockerignore: .git
# dockerignore: node_modules
FROM node:20-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef AS build
COPY package.json package-lock.json ./
RUN npm ci
FROM scratch
COPY --from=build /node_modules /node_modules
USER 65534
HEALTHCHECK NONE
