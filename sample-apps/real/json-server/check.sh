#!/usr/bin/env bash
# Functional check of json-server: REST reads and writes against its db.json.
# Usage: check.sh HOSTPORT (port 3000 of the container)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/check-lib.sh"
need curl; need jq; need iconv
P=${1:?usage: check.sh HOSTPORT}
B=http://127.0.0.1:$P
wait_until 60 curl -sf -o /dev/null "$B/profile"

req home "$B/"
t "GET / is json-server's home page (static file of the package)" eval 'status_is home 200 && body_has home "<h1>Congrats!</h1>"'
req css "$B/style.css"
t "GET /style.css (the home page's stylesheet) is text/css" eval 'status_is css 200 && header_is css Content-Type "^text/css"'
req posts "$B/posts"
t "GET /posts lists the 2 seeded posts as JSON" eval 'header_is posts Content-Type "^application/json" && json_is posts length 2'
req one "$B/posts/1"
t "GET /posts/1 is the first post" json_is one .title json-server
req created -H 'Content-Type: application/json' --data '{"title": "written by the check", "author": "corpus", "views": 1}' "$B/posts"
t "POST /posts with a JSON body creates post 3 (201)" eval 'status_is created 201 && json_is created .id 3'
req back "$B/posts/3"
t "GET /posts/3 reads the new post back" json_is back .title "written by the check"
req patched -X PATCH -H 'Content-Type: application/json' --data '{"views": 99}' "$B/posts/3"
t "PATCH /posts/3 updates one field" eval 'json_is patched .views 99 && json_is patched .title "written by the check"'
printf '{"title": "caf\xe9 cr\xe8me", "author": "utf16"}' | iconv -f latin1 -t utf-16le >"$CHECK_TMP/u16.json"
req u16 -H 'Content-Type: application/json; charset=utf-16le' --data-binary "@$CHECK_TMP/u16.json" "$B/posts"
t "POST of a UTF-16LE JSON body is decoded (iconv-lite)" eval 'status_is u16 201 && json_is u16 .title "café crème"'
req deleted -X DELETE "$B/posts/2"
req gone "$B/posts/2"
t "DELETE /posts/2, then GET /posts/2 is 404" eval 'status_is deleted 200 && status_is gone 404'
req filt "$B/posts?author=typicode"
t "filtering by a field: ?author=typicode" eval 'json_is filt length 1 && json_is filt ".[0].id" 1'
req search "$B/posts?q=check"
t "full-text search ?q=check finds the new post" json_is search '.[0].id' 3
req sorted "$B/posts?_sort=views&_order=desc"
t "sorting by views, descending" eq "$(jq -c 'map(.views // empty)' <"$CHECK_TMP/sorted.body")" "[120,99]"
req page "$B/posts?_page=1&_limit=1"
t "pagination: X-Total-Count and a Link header to the next page" eval 'header_is page X-Total-Count "^3$" && header_is page Link "rel=\"next\""'
req nested "$B/posts/1/comments"
t "nested route /posts/1/comments has the 2 comments" json_is nested length 2
req embed "$B/posts/1?_embed=comments"
t "?_embed=comments embeds the children" json_is embed '.comments[1].body' "another comment"
req rewritten "$B/api/posts/1"
req blog "$B/blog/1"
t "routes.json rewrites /api/* and /blog/:id" eval 'json_is rewritten .id 1 && json_is blog .author typicode'
req db "$B/db"
t "GET /db has every change made above" eval 'json_is db ".posts | map(.id) | join(\",\")" "1,3,4" && json_is db .profile.name corpus'
req nf "$B/nothing-here"
t "an unknown resource is 404" status_is nf 404
finish
