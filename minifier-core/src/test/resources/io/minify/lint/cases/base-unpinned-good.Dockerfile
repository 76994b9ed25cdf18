# ARG before FROM gives the tag; the digest pins it.
ARG VARIANT=3.12-slim
# dockerignore: .git
# dockerignore: node_modules
FROM python:${VARIANT}@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
USER nobody
HEALTHCHECK NONE
