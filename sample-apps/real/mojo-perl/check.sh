#!/usr/bin/env bash
# Functional check of the Mojolicious::Lite notes app on hypnotoad: .html.ep templates with
# a layout, the not_found and exception templates, static files of public/ and of
# Mojolicious itself, JSON, gzip, a signed session cookie, routes that require a module
# inside their handler (Time::Piece, Encode::Byte and Encode::JP by computed name,
# Text::Wrap, charnames with unicore/Name.pl, Math::BigInt's library by name), form and
# JSON writes into the state file.
# Usage: check.sh HOSTPORT (port 3000 of the container)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/check-lib.sh"
need curl; need jq; need gzip; need od
P=${1:?usage: check.sh HOSTPORT}
P=${P##*:}   # the port alone, or 127.0.0.1:PORT
B=http://127.0.0.1:$P
wait_until 60 curl -sf -o /dev/null "$B/api/notes"
hex() { od -An -tx1 <"$CHECK_TMP/$1.body" | tr -d ' \n'; }

req index "$B/"
t "GET / renders templates/index.html.ep in layouts/default.html.ep" eval 'status_is index 200 && header_is index Content-Type "^text/html;charset=UTF-8" && [ "$(grep -c "<li class=\"note\">" "$CHECK_TMP/index.body")" = 3 ] && body_has index "<title>All notes · Notes</title>" && body_has index "<footer>Kept by Mojolicious.</footer>"'
t "the seeded UTF-8 note is intact" body_has index '<a href="/notes/2">Zoë Müller</a>: Grüße aus Köln – schön hier! 日本語も大丈夫。</li>'
t "the template escapes the HTML in notes" eval 'body_has index "<a href=\"/notes/3\">Bob &lt;script&gt;</a>: I tried &lt;b&gt;bold&lt;/b&gt; &amp; it was escaped." && body_lacks index "<script>"'
req show "$B/notes/2"
t "GET /notes/2 renders show.html.ep (title, POSIX strftime date)" eval 'status_is show 200 && body_has show "<title>Zoë Müller · Notes</title>" && body_has show "<time datetime=\"2024-06-21T18:30:00Z\">21 June 2024</time>"'
req nonote "$B/notes/99"
req nopage "$B/no/such/page"
t "a missing note and an unknown route are 404 with templates/not_found.html.ep in the layout" eval 'status_is nonote 404 && body_has nonote "<h1>No such page</h1>" && body_has nonote "<code>/notes/99</code>" && status_is nopage 404 && body_has nopage "<code>/no/such/page</code>" && body_has nopage "<footer>Kept by Mojolicious.</footer>"'
req boom "$B/boom"
t "a dying route is 500 with templates/exception.html.ep (no message leaked)" eval 'status_is boom 500 && body_has boom "<h1>Something went wrong</h1>" && body_has boom "<title>Server error · Notes</title>" && body_lacks boom kaboom'
req css "$B/css/site.css"
t "GET /css/site.css is public/css/site.css, byte for byte" eval 'status_is css 200 && header_is css Content-Type "^text/css" && body_same_as_file css "$here/app/public/css/site.css"'
etag=$(tr -d '\r' <"$CHECK_TMP/css.hdr" | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
req css304 -H "If-None-Match: $etag" "$B/css/site.css"
t "If-None-Match with the stylesheet's ETag is 304" eval '[ -n "$etag" ] && status_is css304 304'
req png "$B/images/logo.png"
req robots "$B/robots.txt"
t "public/images/logo.png and public/robots.txt, byte for byte (sha256)" eval 'header_is png Content-Type "^image/png" && body_sha256 png "$(sha256sum <"$here/app/public/images/logo.png" | cut -d" " -f1)" && header_is robots Content-Type "^text/plain" && body_same_as_file robots "$here/app/public/robots.txt"'
req ico "$B/favicon.ico"
t "GET /favicon.ico is Mojolicious' own (resources/public of the package)" eval 'status_is ico 200 && header_is ico Content-Type "^image/x-icon" && body_sha256 ico 6c95881c8d2fed8f26fafbb863ca111cb2e75202916b9140141c436e61d54c42'
req api "$B/api/notes"
req apiq "$B/api/notes?q=M%C3%9CLLER"
t "GET /api/notes is JSON with 3 notes; ?q= filters (UTF-8, any case)" eval 'header_is api Content-Type "^application/json" && json_is api .count 3 && json_is api ".notes[1].title" "Zoë Müller" && json_is apiq .count 1 && json_is apiq ".notes[0].id" 2'
req gz -H 'Accept-Encoding: gzip' "$B/"
t "the renderer gzips the page (Accept-Encoding: gzip) and it unzips to the page" eval 'header_is gz Content-Encoding "^gzip$" && header_is gz Vary "Accept-Encoding" && gzip -dc <"$CHECK_TMP/gz.body" | cmp -s - "$CHECK_TMP/index.body"'
req fp "$B/fingerprint?text=Gr%C3%BC%C3%9Fe%3F%3E"
t "GET /fingerprint: Digest::SHA, MIME::Base64 (+url) and Mojo::Util::b64_encode" eval 'json_is fp .sha256 4a2377df2e752d307ca7212619ddd8e43b33acf16c18bcddfc123b9c8568b40b && json_is fp .base64 "R3LDvMOfZT8+" && json_is fp .base64url "R3LDvMOfZT8-" && json_is fp .mojo "R3LDvMOfZT8+"'
req date "$B/date/2024-06-21"
t "GET /date/2024-06-21 in words (lazy Time::Piece)" eval 'json_is date .long "Friday 21 June 2024" && json_is date .day_of_year 173 && json_is date .week 25 && json_is date .epoch 1718928000'
req iso "$B/export/iso-8859-15?text=%E2%82%AC%20Gr%C3%BC%C3%9Fe"
req sj "$B/export/shift_jis?text=%E3%81%93%E3%82%93%E3%81%AB%E3%81%A1%E3%81%AF"
t "GET /export/iso-8859-15 and /export/shift_jis (Encode::Byte, Encode::JP found by name)" eval 'header_is iso Content-Type "charset=ISO-8859-15" && [ "$(hex iso)" = a4204772fcdf65 ] && header_is sj Content-Type "charset=Shift_JIS" && [ "$(hex sj)" = 82b182f182c982bf82cd ]'
printf '\xa3\xf3d\x9f' >"$CHECK_TMP/cp1250.txt"
req imp -H 'Content-Type: text/plain; charset=windows-1250' --data-binary "@$CHECK_TMP/cp1250.txt" "$B/import/cp1250"
t "POST /import/cp1250 decodes a cp1250 body (Encode::decode, Encode::Byte)" eval 'status_is imp 200 && json_is imp .text "Łódź" && json_is imp .length 4'
req wrap "$B/wrap?width=20&text=The%20quick%20brown%20fox%20jumps%20over%20the%20lazy%20dog%20and%20keeps%20running"
t "GET /wrap wraps at 20 columns (lazy Text::Wrap)" eq "$(body wrap)" "$(printf 'The quick brown fox\n  jumps over the\n  lazy dog and keeps\n  running')"
req stats "$B/stats?n=3,1,4,1,5,9,2"
t "GET /stats: List::Util and sprintf formats" eval 'json_is stats .sum 25 && json_is stats .min 1 && json_is stats .max 9 && json_is stats .uniq 6 && json_is stats .mean 3.57 && json_is stats .padded "0003.571|ab    |+25|19"'
req cn "$B/charname?c=%C3%A9%E2%82%AC"
t "GET /charname names characters (charnames reads unicore/Name.pl)" eval 'json_is cn ".names[0]" "U+00E9 LATIN SMALL LETTER E WITH ACUTE" && json_is cn ".names[1]" "U+20AC EURO SIGN"'
req fac "$B/factorial/30"
t "GET /factorial/30 (Math::BigInt, its Calc library loaded by name)" eval 'json_is fac .factorial 265252859812191058636308480000000 && json_is fac .lib Math::BigInt::Calc'
req v1 -c "$CHECK_TMP/jar" "$B/visits"
req v2 -b "$CHECK_TMP/jar" -c "$CHECK_TMP/jar" "$B/visits"
cookie=$(awk '$6 == "notes_session" {print $7}' "$CHECK_TMP/jar" 2>/dev/null)
forged="${cookie%?}$([ "${cookie: -1}" = 0 ] && echo 1 || echo 0)"
req v3 -H "Cookie: notes_session=$forged" "$B/visits"
t "the signed session cookie counts visits 1, 2; a forged signature starts again" eval 'header_is v1 Set-Cookie "^notes_session=.*--[0-9a-f]+; .*HttpOnly" && json_is v1 .visits 1 && json_is v2 .visits 2 && [ -n "$cookie" ] && json_is v3 .visits 1'
req post --data-urlencode 'title=Jürgen' --data-urlencode 'body=Mojo <3 hypnotoad' "$B/notes"
req four "$B/notes/4"
t "POST /notes (form) adds note 4 (302) and its page shows it escaped" eval 'status_is post 302 && header_is post Location "/notes/4$" && status_is four 200 && body_has four "<h1>Jürgen</h1>" && body_has four "<blockquote>Mojo &lt;3 hypnotoad</blockquote>"'
req bad --data-urlencode 'title= ' --data-urlencode 'body=no title given' "$B/notes"
t "an invalid form POST is 422 with the error and the input kept" eval 'status_is bad 422 && body_has bad "<li>Please give your note a title.</li>" && body_has bad "class=\"field-with-error\"" && body_has bad ">no title given</textarea>"'
req apipost -H 'Content-Type: application/json' --data '{"title": "Ōsaka", "body": "JSON からこんにちは"}' "$B/api/notes"
req apibad -H 'Content-Type: application/json' --data '{"title": ' "$B/api/notes"
t "POST /api/notes (JSON) is 201 with note 5; a broken body is 400" eval 'status_is apipost 201 && header_is apipost Location "/api/notes/5$" && json_is apipost .id 5 && json_is apipost .body "JSON からこんにちは" && status_is apibad 400 && json_is apibad .error "the body is not JSON"'
req api2 "$B/api/notes"
req index2 "$B/"
t "both writes are in the state file (JSON count 5, 5 notes on the page)" eval 'json_is api2 .count 5 && json_is api2 ".notes[4].title" "Ōsaka" && [ "$(grep -c "<li class=\"note\">" "$CHECK_TMP/index2.body")" = 5 ]'
finish
