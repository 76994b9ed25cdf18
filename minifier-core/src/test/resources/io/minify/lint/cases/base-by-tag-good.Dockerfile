# dockerignore: .git
# dockerignore: node_modules
FROM python:3.12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
FROM scratch
USER 1000
HEALTHCHECK NONE
