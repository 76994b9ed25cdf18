# expect: 5 warning apt-recommends; 5 info no-cache-mount
# dockerignore: .git
# dockerignore: node_modules
FROM debian:bookworm-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN apt-get update && apt-get -y install curl && rm -rf /var/lib/apt/lists/*
USER nobody
HEALTHCHECK NONE
