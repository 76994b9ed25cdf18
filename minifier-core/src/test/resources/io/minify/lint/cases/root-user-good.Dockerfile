# USER in the build stage's chain counts: the final stage builds on it.
# dockerignore: .git
# dockerignore: node_modules
FROM debian:bookworm-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef AS runtime
RUN useradd --system --uid 10001 app
USER app
FROM runtime
HEALTHCHECK NONE
