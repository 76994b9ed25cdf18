# expect: 6 warning root-user
# dockerignore: .git
# dockerignore: node_modules
FROM debian:bookworm-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
USER app
USER root
HEALTHCHECK NONE
