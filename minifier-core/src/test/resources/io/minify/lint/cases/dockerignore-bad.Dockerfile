# No .dockerignore at all.
# expect: 0 warning dockerignore
FROM scratch
COPY app /app
USER 65534
HEALTHCHECK NONE
