#!/usr/bin/env bash
# Functional check of httpbin on gunicorn. Usage: check.sh HOSTPORT (port 8000 of the container)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/check-lib.sh"
need curl; need jq
P=${1:?usage: check.sh HOSTPORT}
B=http://127.0.0.1:$P
wait_until 60 curl -sf -o /dev/null "$B/get"

req index "$B/"
t "GET / is the httpbin index page (template)" eval 'status_is index 200 && header_is index Content-Type "^text/html" && body_has index "<title>httpbin(1): HTTP Client Testing Service</title>"'
req get -H 'X-Corpus: yes' "$B/get?fruit=apple&n=2"
t "GET /get echoes query arguments as JSON" eval 'header_is get Content-Type "^application/json" && json_is get .args.fruit apple && json_is get .args.n 2'
t "GET /get echoes request headers" json_is get '.headers["X-Corpus"]' yes
req post -H 'Content-Type: application/json' --data '{"items": [1, 2, 3], "name": "Zoë"}' "$B/post"
t "POST /post parses a JSON body" eval 'json_is post ".json.items[2]" 3 && json_is post .json.name "Zoë"'
req form --data-urlencode 'comment=hello world' --data 'size=large' "$B/post"
t "POST /post parses a form body" eval 'json_is form .form.comment "hello world" && json_is form .form.size large'
printf 'file content\n' >"$CHECK_TMP/upload.txt"
req multi -F "doc=@$CHECK_TMP/upload.txt" "$B/post"
t "POST /post parses a multipart upload" json_is multi .files.doc "file content"
req gz -H 'Accept-Encoding: gzip' "$B/gzip"
t "GET /gzip is gzip-encoded JSON that says gzipped" eval 'header_is gz Content-Encoding "^gzip$" && [ "$(gzip -dc <"$CHECK_TMP/gz.body" | jq -r .gzipped)" = true ]'
req defl --compressed "$B/deflate"
t "GET /deflate is deflate-encoded and decodes" eval 'header_is defl Content-Encoding "^deflate$" && json_is defl .deflated true'
req br --compressed "$B/brotli"
t "GET /brotli is brotli-encoded and decodes" eval 'header_is br Content-Encoding "^br$" && json_is br .brotli true'
req png "$B/image/png"
t "GET /image/png is the package's PNG, byte for byte" eval 'header_is png Content-Type "^image/png$" && body_sha256 png 541a1ef5373be3dc49fc542fd9a65177b664aec01c8d8608f99e6ec95577d8c1'
req jpeg "$B/image/jpeg"
t "GET /image/jpeg is the package's JPEG, byte for byte" body_sha256 jpeg c028d7aa15e851b0eefb31638a1856498a237faf1829050832d3b9b19f9ab75f
req html "$B/html"
t "GET /html renders the Moby-Dick template" body_has html "Herman Melville - Moby-Dick"
req xml "$B/xml"
t "GET /xml is the sample XML" eval 'header_is xml Content-Type "^application/xml" && body_has xml "<slideshow"'
req formpage "$B/forms/post"
t "GET /forms/post renders the order form template" eval 'status_is formpage 200 && body_has formpage "<form method=\"post\" action=\"/post\">"'
req robots "$B/robots.txt"
t "GET /robots.txt disallows /deny" eval 'header_is robots Content-Type "^text/plain" && body_has robots "Disallow: /deny"'
req tea "$B/status/418"
t "GET /status/418 is a teapot" eval 'status_is tea 418 && body_has tea "[ teapot ]"'
req noauth "$B/basic-auth/user/passwd"
req auth -u user:passwd "$B/basic-auth/user/passwd"
t "basic auth: 401 without credentials, 200 with them" eval 'status_is noauth 401 && status_is auth 200 && json_is auth .authenticated true'
req b64 "$B/base64/SFRUUEJJTiBpcyBhd2Vzb21l"
t "GET /base64/... decodes" eq "$(body b64)" "HTTPBIN is awesome"
req cookies -c "$CHECK_TMP/jar" -L "$B/cookies/set?flavour=oat"
t "cookies: /cookies/set redirects and /cookies shows the cookie" json_is cookies .cookies.flavour oat
req stream "$B/stream/3"
t "GET /stream/3 streams three JSON lines" eval '[ "$(jq -s length <"$CHECK_TMP/stream.body")" = 3 ]'
req nf "$B/no/such/route"
t "an unknown route is 404" status_is nf 404
finish
