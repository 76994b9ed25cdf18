# A base lint cannot see into: it may set a user, so the missing USER is an info.
# expect: 6 info root-user
# expect: 6 info base-by-tag
# dockerignore: .git
# dockerignore: node_modules
FROM registry.example.org/team/runtime:2.1
HEALTHCHECK NONE
