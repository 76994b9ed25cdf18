#!/usr/bin/env bash
# Functional check of lighttpd with Debian's stock configuration.
# Usage: check.sh HOSTPORT (port 80 of the container)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/check-lib.sh"
need curl
P=${1:?usage: check.sh HOSTPORT}
B=http://127.0.0.1:$P
S=$here/site
wait_until 60 curl -sf -o /dev/null "$B/"

req index "$B/"
t "GET / is the site's index.html, byte for byte" eval 'status_is index 200 && body_same_as_file index "$S/index.html"'
t "every answer carries X-Served-By (mod_setenv) and names lighttpd 1.4" eval 'header_is index X-Served-By "^corpus-lighttpd$" && header_is index Server "^lighttpd/1\.4\."'
req list "$B/pub/"
t "GET /pub/ is a directory listing" eval 'status_is list 200 && body_has list "Index of /pub/"'
listed_all() {
  local f
  for f in "$S"/pub/*; do body_has list "href=\"$(basename "$f")\"" || return 1; done
}
t "the listing of /pub/ names every file ($(ls "$S/pub" | wc -l))" listed_all
req xz "$B/pub/archive.tar.xz"
t "MIME types come from /etc/mime.types: .tar.xz is application/x-xz" eval 'header_is xz Content-Type "^application/x-xz$" && body_same_as_file xz "$S/pub/archive.tar.xz"'
req svg "$B/pub/logo.svg"
t ".svg is image/svg+xml" header_is svg Content-Type '^image/svg\+xml'
req csv "$B/pub/data.csv"
t ".csv is text/csv with charset=utf-8" header_is csv Content-Type '^text/csv;charset=utf-8$'
req gz -H 'Accept-Encoding: gzip' "$B/pub/notes.txt"
t "mod_deflate gzips a text file (cached in /var/cache/lighttpd/compress)" eval 'header_is gz Content-Encoding "^gzip$" && gzip -dc <"$CHECK_TMP/gz.body" | cmp -s - "$S/pub/notes.txt"'
req gz2 -H 'Accept-Encoding: gzip' "$B/pub/notes.txt"
t "the second gzip answer (from the cache) is the same bytes" eval 'cmp -s "$CHECK_TMP/gz.body" "$CHECK_TMP/gz2.body"'
req js -H 'Accept-Encoding: gzip' "$B/static/app.js"
t "/static/ gets Cache-Control max-age=3600 (mod_expire) and JS is gzipped" eval 'header_is js Cache-Control "max-age=3600" && header_is js Content-Encoding "^gzip$"'
req noauth "$B/private/ledger.txt"
t "/private/ without credentials is 401 with a Basic challenge" eval 'status_is noauth 401 && header_is noauth WWW-Authenticate "^Basic realm=\"corpus\""'
req badauth -u reader:wrong "$B/private/ledger.txt"
t "/private/ with a wrong password is 401" status_is badauth 401
req auth -u reader:open-sesame "$B/private/ledger.txt"
t "/private/ with the password serves the file" eval 'status_is auth 200 && body_same_as_file auth "$S/private/ledger.txt"'
req inc "$B/secret.inc"
t "url.access-deny refuses *.inc with 403" status_is inc 403
req range -H 'Range: bytes=0-6' "$B/pub/readme.txt"
t "a Range request gets 206 and 7 bytes" eval 'status_is range 206 && [ "$(body range)" = "Public " ]'
req nf "$B/nothing/here.html"
t "a missing file is 404" status_is nf 404
finish
