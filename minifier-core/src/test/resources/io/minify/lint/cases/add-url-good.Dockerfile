# ADD of a local archive extracts it: that is what ADD is for.
# dockerignore: .git
# dockerignore: node_modules
FROM debian:bookworm-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ADD tool-1.0.tar.gz /opt/
USER nobody
HEALTHCHECK NONE
