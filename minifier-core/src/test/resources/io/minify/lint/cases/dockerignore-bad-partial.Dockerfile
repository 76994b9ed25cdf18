# The .dockerignore excludes .git, then lets it back in; node_modules is not named.
# expect: 0 warning dockerignore
# expect: 0 warning dockerignore
# dockerignore: *.log
# dockerignore: .git
# dockerignore: !.git
FROM scratch
COPY app /app
USER 65534
HEALTHCHECK NONE
