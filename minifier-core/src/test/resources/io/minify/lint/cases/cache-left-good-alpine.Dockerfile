# expect: 5 info no-cache-mount
# dockerignore: .git
# dockerignore: node_modules
FROM alpine:3.19@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN apk add --no-cache curl
USER nobody
HEALTHCHECK NONE
