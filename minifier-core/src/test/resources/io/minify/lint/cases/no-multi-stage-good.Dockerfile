# expect: 5 info no-cache-mount
# dockerignore: .git
# dockerignore: node_modules
FROM debian:bookworm-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev
COPY hello.c /src/hello.c
RUN gcc -static -o /hello /src/hello.c
FROM scratch
COPY --from=build /hello /hello
USER 65534
HEALTHCHECK NONE
ENTRYPOINT ["/hello"]
