# apt lists and pip's cache stay in their layers; a later rm does not take them out.
# expect: 8 warning cache-left
# expect: 10 warning cache-left
# (expectations on the lines above)
# dockerignore: .git
# dockerignore: node_modules
FROM python:3.12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN DEBIAN_FRONTEND=noninteractive apt-get update && \
    apt-get install -y --no-install-recommends curl
RUN pip install flask==3.0.0
RUN set -eux; \
    rm -rf /var/lib/apt/lists/*
USER nobody
HEALTHCHECK NONE
