# expect: 9 error secret-in-env
# expect: 10 warning secret-in-env
# expect: 11 error secret-in-env
# expect: 12 error secret-in-env
# (expectations on the lines above)
# dockerignore: .git
# dockerignore: node_modules
FROM scratch
ENV DB_PASSWORD=hunter2 LOG_LEVEL=info
ARG GITHUB_TOKEN
ENV CLOUD_ID AKIAIOSFODNN7EXAMPLE
ENV api_key "abc def"
USER 65534
HEALTHCHECK NONE
