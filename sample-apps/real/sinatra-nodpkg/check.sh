#!/usr/bin/env bash
# Functional check of the Sinatra guestbook on puma: ERB views with a layout and a
# not_found view, static files of public/, JSON, a CSV export and a fingerprint that
# require stdlib libraries lazily, form and JSON writes into the state file.
# Usage: check.sh HOSTPORT (port 4567 of the container)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/check-lib.sh"
need curl; need jq; need gzip
P=${1:?usage: check.sh HOSTPORT}
B=http://127.0.0.1:$P
wait_until 60 curl -sf -o /dev/null "$B/api/entries"

req index "$B/"
t "GET / renders the entries through views/index.erb and the layout" eval 'status_is index 200 && header_is index Content-Type "^text/html;charset=utf-8" && [ "$(grep -c "<li class=\"entry\"" "$CHECK_TMP/index.body")" = 3 ] && body_has index "<footer>Signed with Sinatra.</footer>"'
t "the seeded UTF-8 entry is intact" body_has index "Zoë Müller</a>: Grüße aus Köln – schön hier!"
t "ERB::Util escapes the HTML in entries" eval 'body_has index "Bob &lt;script&gt;</a>: I tried &lt;b&gt;bold&lt;/b&gt; &amp; it was escaped." && body_lacks index "<script>"'
t "rack-protection's headers are set" eval 'header_is index X-Frame-Options "^SAMEORIGIN$" && header_is index X-XSS-Protection "^1; mode=block$"'
req show "$B/entries/2"
t "GET /entries/2 renders views/show.erb (title, date)" eval 'status_is show 200 && body_has show "<title>Zoë Müller · Guestbook</title>" && body_has show ">21 June 2024</time>"'
req noentry "$B/entries/99"
t "a missing entry is 404 with views/not_found.erb" eval 'status_is noentry 404 && body_has noentry "<h1>No such page</h1>" && body_has noentry "<code>/entries/99</code>"'
req nopage "$B/no/such/page"
t "an unknown route is 404 with the not_found view in the layout" eval 'status_is nopage 404 && body_has nopage "<code>/no/such/page</code>" && body_has nopage "<footer>"'
req css "$B/css/site.css"
t "GET /css/site.css is public/css/site.css, byte for byte" eval 'status_is css 200 && header_is css Content-Type "^text/css" && body_same_as_file css "$here/app/public/css/site.css"'
lm=$(tr -d '\r' <"$CHECK_TMP/css.hdr" | sed -n 's/^[Ll]ast-[Mm]odified: //p')
req css304 -H "If-Modified-Since: $lm" "$B/css/site.css"
t "If-Modified-Since on the stylesheet is 304" eval '[ -n "$lm" ] && status_is css304 304'
req svg "$B/images/quill.svg"
req robots "$B/robots.txt"
t "public/images/quill.svg and public/robots.txt, byte for byte" eval 'header_is svg Content-Type "^image/svg\+xml" && body_same_as_file svg "$here/app/public/images/quill.svg" && header_is robots Content-Type "^text/plain" && body_same_as_file robots "$here/app/public/robots.txt"'
req api "$B/api/entries"
t "GET /api/entries is JSON with the 3 seeded entries" eval 'header_is api Content-Type "^application/json" && json_is api .count 3 && json_is api ".entries[1].name" "Zoë Müller"'
req apiq "$B/api/entries?name=ZO"
t "GET /api/entries?name=ZO filters (case-insensitive, UTF-8)" eval 'json_is apiq .count 1 && json_is apiq ".entries[0].id" 2'
req gz -H 'Accept-Encoding: gzip' "$B/api/entries/1"
t "Rack::Deflater gzips a JSON answer" eval 'header_is gz Content-Encoding "^gzip$" && [ "$(gzip -dc <"$CHECK_TMP/gz.body" | jq -r .name)" = Ada ]'
req csv "$B/entries.csv"
t "GET /entries.csv exports CSV (lazy require 'csv')" eval 'status_is csv 200 && header_is csv Content-Type "^text/csv" && header_is csv Content-Disposition "attachment; filename=\"guestbook.csv\"" && [ "$(head -n1 "$CHECK_TMP/csv.body")" = "id,name,message,created" ] && body_has csv "2,Zoë Müller,Grüße aus Köln – schön hier!,2024-06-21T18:30:00Z"'
req preview "$B/preview?text=%3Cb%3E%C3%A9%20%26"
t "GET /preview escapes with ERB::Util (html_escape, url_encode) into JSON" eval 'json_is preview .html "&lt;b&gt;é &amp;" && json_is preview .url "/preview?text=%3Cb%3E%C3%A9%20%26"'
req yaml "$B/entries.yaml"
t "GET /entries.yaml exports YAML (lazy require 'yaml': psych, libyaml)" eval 'status_is yaml 200 && header_is yaml Content-Type "^application/yaml" && body_has yaml "guestbook:" && body_has yaml "  name: Zoë Müller" && body_has yaml "  name: Bob <script>"'
req fp "$B/fingerprint?text=abc"
t "GET /fingerprint is the SHA-256 of the text (Digest::SHA256)" eq "$(body fp)" ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
req signed --data-urlencode 'name=Jürgen' --data-urlencode 'message=Sinatra <3 puma' "$B/entries"
t "POST /entries (form) adds entry 4 and redirects (303)" eval 'status_is signed 303 && header_is signed Location "/entries/4$"'
req four "$B/entries/4"
t "GET /entries/4 shows the new entry, escaped" eval 'status_is four 200 && body_has four "<h1>Jürgen</h1>" && body_has four "<blockquote>Sinatra &lt;3 puma</blockquote>"'
req bad --data-urlencode 'name= ' --data-urlencode 'message=no name given' "$B/entries"
t "an invalid form POST is 422 with the error and the input kept" eval 'status_is bad 422 && body_has bad "Please tell us your name." && body_has bad ">no name given</textarea>"'
req apipost -H 'Content-Type: application/json' --data '{"name": "Ōsaka", "message": "JSON からこんにちは"}' "$B/api/entries"
t "POST /api/entries (JSON) is 201 with entry 5" eval 'status_is apipost 201 && json_is apipost .id 5 && json_is apipost .message "JSON からこんにちは"'
req apibad -H 'Content-Type: application/json' --data '{"name": ' "$B/api/entries"
t "POST /api/entries with a broken body is 400" eval 'status_is apibad 400 && json_is apibad .error "the body is not JSON"'
req api2 "$B/api/entries"
req csv2 "$B/entries.csv"
t "both writes are in the state file (JSON count 5, CSV 6 lines)" eval 'json_is api2 .count 5 && json_is api2 ".entries[4].name" "Ōsaka" && [ "$(wc -l <"$CHECK_TMP/csv2.body")" = 6 ]'
finish
