"""minify sample: an image whose later layer deletes files of an earlier one.

Layer N adds /app (with secret.txt and extra/old/*); layer N+1 deletes /app/secret.txt
and /usr/share/doc, and replaces /app/extra/old by a new directory (an opaque whiteout).
The routes report what the app can see, so a slim image that resurrected deleted files
would answer differently. Python stdlib only.
"""
import json
import os
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

APP = os.environ.get("APP_HOME", "/app")


def secret():
    present = os.path.exists(os.path.join(APP, "secret.txt"))
    return {"secret": "PRESENT" if present else "absent"}


def docs():
    return {"docs": "PRESENT" if os.path.exists("/usr/share/doc") else "absent"}


def opaque():
    d = os.path.join(APP, "extra", "old")
    files = {}
    for name in sorted(os.listdir(d)):
        with open(os.path.join(d, name), encoding="utf-8") as f:
            files[name] = f.read().strip()
    return {"opaque": files}


def keep():
    with open(os.path.join(APP, "extra", "keep.txt"), encoding="utf-8") as f:
        return {"keep": f.read().strip()}


def lazy():
    import csv  # deliberately here: loaded on first hit only

    with open(os.path.join(APP, "data", "lazy.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {"lazy": "csv", "rows": len(rows), "total": sum(int(r["count"]) for r in rows)}


ROUTES = {
    "/health": lambda: "ok\n",
    "/secret": secret,
    "/docs": docs,
    "/opaque": opaque,
    "/keep": keep,
    "/lazy": lazy,
    "/time": lambda: {"time": time.time()},
    "/": lambda: "<html><body><h1>whiteout sample</h1><a href=\"/secret\">secret</a> "
                 "<a href=\"/opaque\">opaque</a> <a href=\"/lazy\">lazy</a></body></html>",
}


class Handler(BaseHTTPRequestHandler):
    server_version = "whiteout/1.0"
    sys_version = ""

    def do_GET(self):
        fn = ROUTES.get(self.path.split("?", 1)[0])
        if fn is None:
            return self.reply(404, "text/plain; charset=utf-8", b"not found\n")
        try:
            out = fn()
        except Exception as e:  # report, do not hide
            return self.reply(500, "text/plain; charset=utf-8", ("error: %r\n" % (e,)).encode())
        if isinstance(out, str):
            ctype = "text/html; charset=utf-8" if out.startswith("<") else "text/plain; charset=utf-8"
            return self.reply(200, ctype, out.encode())
        return self.reply(200, "application/json", (json.dumps(out, sort_keys=True) + "\n").encode())

    def reply(self, status, ctype, body):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        print("%s %s" % (self.address_string(), fmt % args), flush=True)


if __name__ == "__main__":
    ThreadingHTTPServer(("0.0.0.0", 8080), Handler).serve_forever()
