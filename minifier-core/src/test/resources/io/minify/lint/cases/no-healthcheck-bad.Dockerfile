# The build stage's HEALTHCHECK does not reach the final stage.
# expect: 7 info no-healthcheck
# dockerignore: .git
# dockerignore: node_modules
FROM debian:bookworm-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef AS build
HEALTHCHECK CMD ["true"]
FROM scratch
USER 65534
