# One stage: the compiler ships with the program.
# expect: 7 warning no-multi-stage
# expect: 7 info no-cache-mount
# dockerignore: .git
# dockerignore: node_modules
FROM debian:bookworm-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/*
COPY . /src
RUN make -C /src install
USER nobody
HEALTHCHECK NONE
