# The full python image ships: compilers, headers, docs.
# expect: 5 warning base-not-slim
# dockerignore: .git
# dockerignore: node_modules
FROM python:3.12@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
COPY app.py /app/app.py
USER nobody
HEALTHCHECK NONE
CMD ["python3", "/app/app.py"]
