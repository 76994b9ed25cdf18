# dockerignore: # comments are skipped
# dockerignore: **/.git
# dockerignore: /node_modules/
FROM scratch
COPY app /app
USER 65534
HEALTHCHECK NONE
