# No tag, and latest: both move.
# expect: 7 warning base-unpinned
# expect: 9 warning base-unpinned
# expect: 9 warning base-not-slim
# dockerignore: .git
# dockerignore: node_modules
FROM node:latest AS assets
RUN echo built > /out.txt
FROM debian
COPY --from=assets /out.txt /srv/out.txt
USER daemon
HEALTHCHECK NONE
