"""minify sample: a small Flask app.

/lazy imports sqlite3 only when it is hit: that pulls in the _sqlite3 C extension and
libsqlite3, which a slim image built without probing /lazy would be missing.
"""
import os
import time

from flask import Flask, jsonify, request

app = Flask(__name__)

ITEMS = [
    {"id": 1, "name": "apple", "price": 3},
    {"id": 2, "name": "banana", "price": 2},
    {"id": 3, "name": "cherry", "price": 7},
]


@app.get("/")
def index():
    return "<html><body><h1>python-flask sample</h1>" \
           "<a href=\"/health\">health</a> <a href=\"/api/items\">items</a> " \
           "<a href=\"/lazy\">lazy</a></body></html>"


# The app describes its own API, as many services do; `--http-probe-apispec /openapi.json`
# reads it from here.
OPENAPI = {
    "openapi": "3.0.3",
    "info": {"title": "python-flask sample", "version": "1.0"},
    "paths": {
        "/health": {"get": {"responses": {"200": {"description": "ok"}}}},
        "/api/items": {"get": {"responses": {"200": {"description": "all items"}}}},
        "/api/items/{id}": {"get": {
            "parameters": [{"name": "id", "in": "path", "required": True,
                            "schema": {"type": "integer"}, "example": 2}],
            "responses": {"200": {"description": "one item"}}}},
        "/lazy": {"get": {"responses": {"200": {"description": "uses sqlite3"}}}},
    },
}


@app.get("/openapi.json")
def openapi():
    return jsonify(OPENAPI)


@app.get("/health")
def health():
    return "ok\n"


@app.get("/api/items")
def items():
    return jsonify(items=ITEMS, count=len(ITEMS))


@app.get("/api/items/<int:item_id>")
def item(item_id):
    for it in ITEMS:
        if it["id"] == item_id:
            return jsonify(it)
    return jsonify(error="no such item"), 404


@app.post("/echo")
def echo():
    body = request.get_data()
    return jsonify(echo=body.decode("utf-8", "replace"), length=len(body))


@app.get("/lazy")
def lazy():
    import sqlite3  # deliberately here: loaded on first hit only

    con = sqlite3.connect(":memory:")
    try:
        con.execute("create table fruit(name text, price int)")
        con.executemany("insert into fruit values (?, ?)", [(i["name"], i["price"]) for i in ITEMS])
        total, = con.execute("select sum(price) from fruit").fetchone()
        names = [r[0] for r in con.execute("select name from fruit order by price desc")]
    finally:
        con.close()
    return jsonify(lazy="sqlite", total=total, by_price=names)


@app.get("/config")
def config():
    # Readable only through the user's supplementary group appdata (root:appdata 0640).
    with open("/app/private/config.txt", encoding="utf-8") as f:
        return jsonify(config=f.read().strip())


@app.get("/state")
def state():
    # Writes into a state directory owned by the app user (app:app 0750) and reads back.
    path = os.path.join(os.environ.get("STATE_DIR", "/var/lib/flask-sample"), "state.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write("state ok\n")
    with open(path, encoding="utf-8") as f:
        return f.read()


@app.get("/time")
def now():
    return jsonify(time=time.time())


@app.errorhandler(404)
def not_found(_e):
    return "not found\n", 404


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8080)
