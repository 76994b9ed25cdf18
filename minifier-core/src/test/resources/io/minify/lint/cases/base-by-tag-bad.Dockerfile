# expect: 4 info base-by-tag
# dockerignore: .git
# dockerignore: node_modules
FROM python:3.12-slim
USER nobody
HEALTHCHECK NONE
