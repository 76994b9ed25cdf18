#!/usr/bin/env bash
# Functional check of the nginx static site. Usage: check.sh HOSTPORT (port 80 of the container)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/check-lib.sh"
need curl
P=${1:?usage: check.sh HOSTPORT}
B=http://127.0.0.1:$P
SITE=$here/site
wait_until 60 curl -sf -o /dev/null "$B/healthz"

req index "$B/"
t "GET / is 200" status_is index 200
t "GET / is text/html" header_is index Content-Type '^text/html'
t "GET / is the site's index.html, byte for byte" body_same_as_file index "$SITE/index.html"
t "responses carry X-Served-By from the site config" header_is index X-Served-By '^corpus-nginx$'
req css "$B/style.css"
t "GET /style.css is text/css" header_is css Content-Type '^text/css'
t "GET /style.css has the exact bytes (sha256)" body_sha256 css "$(sha256sum <"$SITE/style.css" | cut -d' ' -f1)"
req png "$B/img/logo.png"
t "GET /img/logo.png is image/png with the exact bytes" eval 'header_is png Content-Type "^image/png$" && body_sha256 png "$(sha256sum <"$SITE/img/logo.png" | cut -d" " -f1)"'
req json "$B/data.json"
t "GET /data.json is application/json and parses" eval 'header_is json Content-Type "^application/json" && json_is json .version 3'
req gz -H 'Accept-Encoding: gzip' "$B/app.js"
t "GET /app.js with Accept-Encoding: gzip is gzip-encoded" header_is gz Content-Encoding '^gzip$'
t "gunzipped /app.js equals the file" eval 'gzip -dc <"$CHECK_TMP/gz.body" | cmp -s - "$SITE/app.js"'
req list "$B/files/"
t "GET /files/ is a 200 directory listing" eval 'status_is list 200 && body_has list "Index of /files/"'
listed_all() {
  local f
  for f in "$SITE"/files/*; do body_has list "href=\"$(basename "$f")\"" || return 1; done
}
t "the listing of /files/ names every file of the directory ($(ls "$SITE/files" | wc -l))" listed_all
req bin "$B/files/delta.bin"
t "GET /files/delta.bin has the exact bytes" body_same_as_file bin "$SITE/files/delta.bin"
req range -H 'Range: bytes=0-9' "$B/files/alpha.txt"
t "a Range request gets 206 and exactly 10 bytes" eval 'status_is range 206 && [ "$(wc -c <"$CHECK_TMP/range.body")" -eq 10 ]'
etag=$(tr -d '\r' <"$CHECK_TMP/css.hdr" | sed -n 's/^[Ee][Tt]ag: //p')
req cond -H "If-None-Match: $etag" "$B/style.css"
t "If-None-Match with the ETag of /style.css gets 304" eval '[ -n "$etag" ] && status_is cond 304'
req head -I "$B/about.html"
t "HEAD /about.html has the file's Content-Length" header_is head Content-Length "^$(wc -c <"$SITE/about.html")$"
req missing "$B/no/such/page"
t "GET /no/such/page is 404 with the site's 404 page" eval 'status_is missing 404 && body_has missing "corpus 404"'
finish
