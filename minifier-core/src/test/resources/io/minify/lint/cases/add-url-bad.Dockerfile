# expect: 5 warning add-url
# dockerignore: .git
# dockerignore: node_modules
FROM debian:bookworm-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ADD https://example.org/tool-1.0.tar.gz /opt/
USER nobody
HEALTHCHECK NONE
