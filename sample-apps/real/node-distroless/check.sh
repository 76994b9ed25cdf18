#!/usr/bin/env bash
# Functional check of the Express tea shop on the distroless-style image: EJS pages with
# partials, the JSON API, static files, the urlencoded form, charset conversion through
# iconv-lite (required on first use), the custom 404 page.
# Usage: check.sh HOSTPORT (port 3000 of the container)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/check-lib.sh"
need curl; need jq; need xxd
P=${1:?usage: check.sh HOSTPORT}
B=http://127.0.0.1:$P
APP=$here/app
wait_until 60 curl -sf -o /dev/null "$B/api/health"
sha_of() { sha256sum <"$1" | cut -d' ' -f1; }
# Intl (ICU) puts a no-break space between amount and currency
NBSP=$'\xc2\xa0'
hex_of() { xxd -p <"$CHECK_TMP/$1.body" | tr -d '\n'; }

req home "$B/"
t "GET / is the index view with its header and footer partials" eval 'status_is home 200 && header_is home Content-Type "^text/html" && body_has home "<h1>Welcome to the Corpus Tea House</h1>" && body_has home "<span class=\"brand\">Corpus Tea House</span>" && body_has home "rendered with EJS"'
t "GET / shows prices formatted for de-DE by Intl (ICU)" eval 'body_has home "Sencha Kyoto</a> (12,50${NBSP}€)" && body_has home "We sell 5 loose-leaf teas."'
req items "$B/items"
t "GET /items lists the 5 teas, UTF-8 names intact" eval 'status_is items 200 && [ "$(grep -c "<tr><td><a href=\"/items/" "$CHECK_TMP/items.body")" -eq 5 ] && body_has items "Rooibos Crème Brûlée"'
req item "$B/items/3"
t "GET /items/3 is the Gyokuro page with its price" eval 'status_is item 200 && body_has item "<h1 class=\"item-name\">Gyokuro Uji</h1>" && body_has item "34,00${NBSP}€ for 50 g"'
req api "$B/api/items"
t "GET /api/items is JSON with the 5 items" eval 'header_is api Content-Type "^application/json" && json_is api .count 5 && json_is api ".items[4].name" "Rooibos Crème Brûlée"'
req japan "$B/api/items?origin=japan"
t "GET /api/items?origin=japan filters to 2 items" eval 'json_is japan .count 2 && json_is japan "[.items[].id] | join(\",\")" "1,3"'
req one "$B/api/items/5"
t "GET /api/items/5 has the formatted price" eval 'status_is one 200 && json_is one .priceText "7,60${NBSP}€" && json_is one .origin "South Africa"'
req nojson "$B/api/items/99"
t "GET /api/items/99 is a 404 JSON error" eval 'status_is nojson 404 && json_is nojson .error "no such item"'
req health "$B/api/health"
t "GET /api/health: node 18, running as nonroot (uid 65532)" eval 'json_is health .status ok && json_is health ".node | startswith(\"v18.\")" true && json_is health .uid 65532'
req css "$B/static/css/site.css"
t "GET /static/css/site.css is text/css with the exact bytes (sha256)" eval 'header_is css Content-Type "^text/css" && body_sha256 css "$(sha_of "$APP/public/css/site.css")"'
req png "$B/static/img/logo.png"
t "GET /static/img/logo.png is image/png with the exact bytes (sha256)" eval 'header_is png Content-Type "^image/png$" && body_sha256 png "$(sha_of "$APP/public/img/logo.png")"'
etag=$(tr -d '\r' <"$CHECK_TMP/css.hdr" | sed -n 's/^[Ee][Tt]ag: //p')
req cond -H "If-None-Match: $etag" "$B/static/css/site.css"
t "static files: Cache-Control max-age=3600, If-None-Match with the ETag gets 304" eval 'header_is css Cache-Control "max-age=3600" && [ -n "$etag" ] && status_is cond 304'
req robots "$B/static/robots.txt"
t "GET /static/robots.txt is text/plain, byte for byte" eval 'header_is robots Content-Type "^text/plain" && body_same_as_file robots "$APP/public/robots.txt"'
req contact "$B/contact"
t "GET /contact is the form page" eval 'status_is contact 200 && body_has contact "<form method=\"post\" action=\"/contact\">"'
req sent --data-urlencode 'name=Zoë Ångström' --data-urlencode 'message=Grüße & <b>danke</b>' "$B/contact"
t "POST /contact (urlencoded, UTF-8) renders the thanks page, HTML escaped" eval 'status_is sent 200 && body_has sent "<h1>Thank you, Zoë Ångström!</h1>" && body_has sent "Grüße &amp; &lt;b&gt;danke&lt;/b&gt;"'
req invalid --data 'name=&message=' "$B/contact"
t "POST /contact without fields is 400 with the form's error" eval 'status_is invalid 400 && body_has invalid "Please give your name and a message."'
req sjis -H 'Content-Type: text/plain; charset=utf-8' --data-binary 'お茶です' "$B/convert/encode?to=shift_jis"
t "POST /convert/encode?to=shift_jis: the Shift_JIS bytes of お茶です" eval 'status_is sjis 200 && header_is sjis X-Encoding "^shift_jis$" && [ "$(hex_of sjis)" = 82a8928382c582b7 ]'
req l1 -H 'Content-Type: text/plain; charset=utf-8' --data-binary 'café crème' "$B/convert/encode?to=latin1"
t "POST /convert/encode?to=latin1: the 10 latin1 bytes of café crème" eval 'status_is l1 200 && [ "$(hex_of l1)" = 636166e9206372e86d65 ]'
printf 'caf\xe9 cr\xe8me br\xfbl\xe9e' >"$CHECK_TMP/latin1.bin"
req dl1 -H 'Content-Type: application/octet-stream' --data-binary "@$CHECK_TMP/latin1.bin" "$B/convert/decode?from=latin1"
t "POST /convert/decode?from=latin1 of non-ASCII bytes gives UTF-8 text" eval 'json_is dl1 .text "café crème brûlée" && json_is dl1 .bytes 17'
printf '\x82\xa8\x92\x83\x82\xc5\x82\xb7' >"$CHECK_TMP/sjis.bin"
req dsj -H 'Content-Type: application/octet-stream' --data-binary "@$CHECK_TMP/sjis.bin" "$B/convert/decode?from=shift_jis"
t "POST /convert/decode?from=shift_jis gives お茶です (4 characters)" eval 'json_is dsj .text "お茶です" && json_is dsj .length 4'
req badenc -H 'Content-Type: text/plain' --data-binary 'x' "$B/convert/encode?to=klingon"
t "an unknown encoding is 400" eval 'status_is badenc 400 && json_is badenc .error "unknown encoding"'
req noitem "$B/items/99"
t "GET /items/99 (no such tea) is the custom 404 page" eval 'status_is noitem 404 && body_has noitem "<h1>Tea not found (404)</h1>" && body_has noitem "<code>/items/99</code>"'
req missing "$B/no/such/page"
t "GET /no/such/page is 404, text/html, the 404 view with the header partial" eval 'status_is missing 404 && header_is missing Content-Type "^text/html" && body_has missing "Nothing is brewing at <code>/no/such/page</code>" && body_has missing "<title>Not found - Corpus Tea House</title>"'
finish
