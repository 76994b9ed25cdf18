# Recommends turned off by a configuration file a heredoc writes, for every later install.
# expect: 9 info no-cache-mount
# dockerignore: .git
# dockerignore: node_modules
FROM debian:bookworm-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
COPY <<EOF2 /etc/apt/apt.conf.d/99-no-recommends
APT::Install-Recommends "false";
EOF2
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
USER nobody
HEALTHCHECK NONE
