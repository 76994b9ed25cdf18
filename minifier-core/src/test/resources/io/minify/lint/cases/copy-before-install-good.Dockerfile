# dockerignore: .git
# dockerignore: node_modules
FROM node:20-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev
COPY . .
RUN npm run lint-config
USER node
HEALTHCHECK NONE
CMD ["node", "server.js"]
