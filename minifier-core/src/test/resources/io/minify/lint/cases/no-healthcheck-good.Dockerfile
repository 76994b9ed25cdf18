# dockerignore: .git
# dockerignore: node_modules
FROM scratch
USER 65534
HEALTHCHECK --interval=30s --timeout=3s CMD ["/app", "health"]
