#!/usr/bin/env bash
# Functional check of embedsrv (Go, go:embed assets, FROM scratch): the HTML pages and
# JSON API on 8080, the line-based key-value protocol on 7070, the store they share, the
# data file read per request.
# Usage: check.sh HOSTPORT_8080 HOSTPORT_7070
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/check-lib.sh"
need curl; need jq; need python3
P=${1:?usage: check.sh HOSTPORT_8080 HOSTPORT_7070}
K=${2:?usage: check.sh HOSTPORT_8080 HOSTPORT_7070}
B=http://127.0.0.1:$P
wait_until 60 curl -sf -o /dev/null "$B/api/info"
sha_of() { sha256sum <"$1" | cut -d' ' -f1; }

# kv NAME LINES: one connection to the key-value port; sends LINES (printf escapes), then
# reads until the server closes (or 5 s pass); keeps $CHECK_TMP/NAME.body and, in
# NAME.closed, "closed" when the server closed the connection itself.
kv() {
  python3 - "$K" "$2" "$CHECK_TMP/$1" <<'PY'
import socket, sys, time
port, data, out = int(sys.argv[1]), sys.argv[2].encode().decode('unicode_escape').encode('latin1'), sys.argv[3]
got, closed = b'', 'open'
try:
    s = socket.create_connection(('127.0.0.1', port), timeout=5)
    s.sendall(data)
    end = time.time() + 5
    while time.time() < end:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            break
        if not chunk:
            closed = 'closed'
            break
        got += chunk
except OSError as e:
    closed = 'error ' + str(e)
open(out + '.body', 'wb').write(got)
open(out + '.closed', 'w').write(closed)
PY
}
closed_is() { [ "$(cat "$CHECK_TMP/$1.closed")" = "$2" ]; }
lines_are() { [ "$(tr -d '\r' <"$CHECK_TMP/$1.body")" = "$2" ]; }

# --- HTTP ---------------------------------------------------------------------------------
req home "$B/"
t "GET / is the embedded index template (text/html)" eval 'status_is home 200 && header_is home Content-Type "^text/html; charset=utf-8$" && body_has home "<h1>embedsrv 1.4.2</h1>" && body_has home "<title>Home · embedsrv</title>"'
t "GET / lists the seeded keys" eval 'body_has home "with 3 keys" && body_has home "<a href=\"/api/kv/city\">city</a>"'
req css "$B/static/css/style.css"
t "GET /static/css/style.css is text/css, the embedded bytes (sha256)" eval 'status_is css 200 && header_is css Content-Type "^text/css" && body_sha256 css "$(sha_of "$here/static/css/style.css")"'
req png "$B/static/img/gopher.png"
t "GET /static/img/gopher.png is image/png, the embedded bytes (sha256)" eval 'header_is png Content-Type "^image/png$" && body_sha256 png "$(sha_of "$here/static/img/gopher.png")"'
req js "$B/static/js/app.js"
t "GET /static/js/app.js is JavaScript, byte for byte" eval 'header_is js Content-Type "javascript" && body_same_as_file js "$here/static/js/app.js"'
etag=$(tr -d '\r' <"$CHECK_TMP/css.hdr" | sed -n 's/^[Ee][Tt]ag: //p')
req cond -H "If-None-Match: $etag" "$B/static/css/style.css"
t "If-None-Match with the stylesheet's ETag gets 304" eval '[ -n "$etag" ] && status_is cond 304'
req nostatic "$B/static/css/missing.css"
t "a missing static file is the 404 page" eval 'status_is nostatic 404 && body_has nostatic "There is no page at <code>/static/css/missing.css</code>"'
req info "$B/api/info"
t "GET /api/info is JSON: name, version, Go 1.19" eval 'header_is info Content-Type "^application/json" && json_is info .name embedsrv && json_is info .version 1.4.2 && json_is info ".go | startswith(\"go1.19\")" true'
req about1 "$B/about"
sleep 1.2
req about2 "$B/about"
started_re='started [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z<'
t "GET /about shows the start time (seconds, UTC) and a run id" eval 'status_is about1 200 && body_matches about1 "$started_re" && body_matches about1 "run [0-9a-f]{12}, up [0-9]+ s"'
t "GET /about: the same start and run id again, uptime advanced" eval '[ "$(grep -o "started [^<]*" "$CHECK_TMP/about1.body")" = "$(grep -o "started [^<]*" "$CHECK_TMP/about2.body")" ] && [ "$(grep -o "run [0-9a-f]*" "$CHECK_TMP/about1.body")" = "$(grep -o "run [0-9a-f]*" "$CHECK_TMP/about2.body")" ] && [ "$(grep -o "up [0-9]*" "$CHECK_TMP/about2.body" | cut -d" " -f2)" -gt "$(grep -o "up [0-9]*" "$CHECK_TMP/about1.body" | cut -d" " -f2)" ]'
req motd "$B/data/motd"
t "GET /data/motd is /data/motd.txt, read from the image, byte for byte" eval 'status_is motd 200 && header_is motd Content-Type "^text/plain" && body_same_as_file motd "$here/data/motd.txt"'
req nf "$B/no/such/page"
t "an unknown page is 404 with the embedded 404 template" eval 'status_is nf 404 && header_is nf Content-Type "^text/html" && body_has nf "<h1>404 · page not found</h1>"'

# --- the key-value protocol, and the store both sides share -------------------------------------
kv ping 'PING\r\nQUIT\r\n'
t "kv: PING gets PONG, QUIT gets BYE and the server closes" eval 'lines_are ping "$(printf "PONG\nBYE")" && closed_is ping closed'
kv seeded 'GET city\r\nGET greeting\r\nGET nothing\r\nQUIT\r\n'
t "kv: GET of seeded keys (UTF-8 intact) and NOT_FOUND" lines_are seeded "$(printf "VALUE Zürich\nVALUE hello, world\nNOT_FOUND\nBYE")"
kv setget 'SET colour deep blue\r\nGET colour\r\nKEYS\r\nQUIT\r\n'
t "kv: SET then GET on one connection, KEYS lists it" lines_are setget "$(printf "OK\nVALUE deep blue\nKEYS city colour greeting lang\nBYE")"
req cross "$B/api/kv/colour"
t "HTTP GET /api/kv/colour reads the value set over the kv protocol" eval 'status_is cross 200 && json_is cross .value "deep blue"'
req put -X PUT --data-binary 'Grüezi' "$B/api/kv/salute"
kv fromhttp 'GET salute\r\nDEL salute\r\nGET salute\r\nQUIT\r\n'
t "HTTP PUT /api/kv/salute, then kv GET, DEL, GET" eval 'status_is put 200 && lines_are fromhttp "$(printf "VALUE Grüezi\nDELETED\nNOT_FOUND\nBYE")"'
kv time 'TIME\r\nQUIT\r\n'
t "kv: TIME is UTC with seconds precision" eval 'tr -d "\r" <"$CHECK_TMP/time.body" | head -n1 | grep -Eq "^TIME [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"'
kv http 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'
t "kv: an HTTP request gets 'ERR unknown command' (no HTTP answer) and the server closes" eval 'lines_are http "ERR unknown command" && closed_is http closed && body_lacks http "HTTP/"'
kv unknown 'FLY away\r\nPING\r\n'
t "kv: an unknown command gets ERR and the server closes (the next line is not answered)" eval 'lines_are unknown "ERR unknown command" && closed_is unknown closed'
finish
