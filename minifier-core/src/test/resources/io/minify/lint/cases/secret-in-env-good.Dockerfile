# Names that point at a secret, empty values, a GPG key id (public).
# dockerignore: .git
# dockerignore: node_modules
FROM scratch
ENV DB_PASSWORD_FILE=/run/secrets/db GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D
ENV TOKEN_URL=https://auth.example.org/token
ARG SECRET_NAME=db
ENV PASSWORD=""
USER 65534
HEALTHCHECK NONE
