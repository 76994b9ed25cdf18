# dockerignore: .git
# dockerignore: node_modules
FROM node:20-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef AS build
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci
FROM scratch
COPY --from=build /node_modules /node_modules
USER 65534
HEALTHCHECK NONE
