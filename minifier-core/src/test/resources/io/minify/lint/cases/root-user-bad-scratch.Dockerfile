# expect: 4 warning root-user
# dockerignore: .git
# dockerignore: node_modules
FROM scratch
COPY app /app
HEALTHCHECK NONE
