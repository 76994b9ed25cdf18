# A cache mount satisfies both rules; removing the cache in the same RUN leaves only the info.
# syntax is not the first line here, so it is a comment.
# expect: 13 info no-cache-mount
# expect: 14 info no-cache-mount; 15 info no-cache-mount
# dockerignore: .git
# dockerignore: node_modules
FROM python:3.12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt,sharing=locked \
    apt-get update && apt-get install -y --no-install-recommends curl
RUN --mount=type=cache,target=/root/.cache/pip pip install flask==3.0.0
ENV PIP_NO_CACHE_DIR=1
RUN pip install gunicorn==22.0.0
RUN python3 -m pip install --no-cache-dir requests==2.32.0
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
USER nobody
HEALTHCHECK NONE
