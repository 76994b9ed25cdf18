# node_modules is installed on the host and copied on purpose: it need not be excluded.
# dockerignore: .git
FROM scratch
COPY node_modules/ /app/node_modules/
USER 65534
HEALTHCHECK NONE
