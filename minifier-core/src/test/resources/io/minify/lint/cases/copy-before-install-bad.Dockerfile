# Any change to any file reinstalls every dependency.
# expect: 7 warning copy-before-install
# dockerignore: .git
# dockerignore: node_modules
FROM node:20-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
WORKDIR /app
COPY . .
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev
USER node
HEALTHCHECK NONE
CMD ["node", "server.js"]
