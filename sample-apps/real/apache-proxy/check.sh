#!/usr/bin/env bash
# Functional check of the Apache reverse proxy and its internal backend vhost.
# Usage: check.sh HOSTPORT (port 80 of the container)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/check-lib.sh"
need curl
P=${1:?usage: check.sh HOSTPORT}
B=http://127.0.0.1:$P
BK=$here/backend
wait_until 60 curl -sf -o /dev/null "$B/"

req front "$B/"
t "GET / is the front's own page" eval 'status_is front 200 && body_same_as_file front "$here/front/index.html"'
t "the front adds X-Front and names Apache 2.4 (Debian)" eval 'header_is front X-Front "^corpus-proxy$" && header_is front Server "^Apache/2\.4\.[0-9]+ \(Debian\)$"'
req hello "$B/app/hello.txt"
t "GET /app/hello.txt is proxied to the backend (X-Backend, Via)" eval 'status_is hello 200 && header_is hello X-Backend "^internal$" && header_is hello Via "front\.corpus"'
t "the proxied file has the exact bytes" body_same_as_file hello "$BK/hello.txt"
req json "$B/app/data/report.json"
t "a proxied JSON file is application/json and complete" eval 'header_is json Content-Type "^application/json" && body_same_as_file json "$BK/data/report.json"'
req list "$B/app/"
t "GET /app/ is the backend's directory listing" eval 'status_is list 200 && body_has list "<title>Index of /</title>"'
listed_all() {
  local f n
  for f in "$BK"/*; do
    n=$(basename "$f"); [ -d "$f" ] && n="$n/"
    body_has list "href=\"$n\"" || return 1
  done
}
t "the listing names every entry of the backend's directory ($(ls "$BK" | wc -l))" listed_all
req redir "$B/app/sub"
t "a directory without a slash redirects, and the proxy rewrites Location to /app/sub/" eval 'status_is redir 301 && header_is redir Location "/app/sub/$"'
req cgi "$B/app/cgi-bin/echo.cgi?color=blue"
t "the backend's CGI runs behind the proxy (GET, query string)" eval 'status_is cgi 200 && body_has cgi "method=GET" && body_has cgi "query=color=blue"'
req cgipost --data 'item=42' "$B/app/cgi-bin/echo.cgi"
t "POST to the CGI passes the body through the proxy" eval 'body_has cgipost "method=POST" && body_has cgipost "body=item=42"'
t "the proxy sends X-Forwarded-Host to the backend" body_has cgi "forwarded-host=127.0.0.1:$P"
req gz -H 'Accept-Encoding: gzip' "$B/app/notes.txt"
t "mod_deflate gzips a proxied text file, and it unzips to the file" eval 'header_is gz Content-Encoding "^gzip$" && gzip -dc <"$CHECK_TMP/gz.body" | cmp -s - "$BK/notes.txt"'
req range -H 'Range: bytes=5-9' "$B/app/hello.txt"
t "a Range request through the proxy gets 206 and 5 bytes" eval 'status_is range 206 && [ "$(body range)" = "$(head -c 10 "$BK/hello.txt" | tail -c 5)" ]'
req nf "$B/app/nope.html"
t "a missing backend file is 404 through the proxy" eval 'status_is nf 404 && header_is nf X-Backend "^internal$"'
req nf2 "$B/nope.html"
t "a missing front file is 404 without the backend" eval 'status_is nf2 404 && ! has_header nf2 X-Backend'
finish
