#!/usr/bin/env bash
# Functional check of spring-books (Spring Boot fat jar: Thymeleaf pages, JSON API, H2).
# Usage: check.sh HOSTPORT (port 8080 of the container)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/check-lib.sh"
need curl; need jq
P=${1:?usage: check.sh HOSTPORT}
B=http://127.0.0.1:$P
R=$here/app/src/main/resources
# ready when the seeding (a CommandLineRunner, after the server has started) is done
seeded() { [ "$(curl -sf --max-time 5 "$B/api/books" | jq length)" -ge 3 ]; }
wait_until 180 seeded

req index "$B/"
t "GET / is the Thymeleaf shelf page (text/html, UTF-8) in English" eval 'status_is index 200 && header_is index Content-Type "^text/html;charset=UTF-8$" && body_has index "<html lang=\"en\">" && body_has index "<h1>Bookshelf</h1>"'
t "GET / lists the 3 seeded books, links them and says how many" eval 'body_has index "<a href=\"/books/2\">Der Zauberberg</a>" && body_has index "Cien años de soledad" && body_has index "Books worth keeping, 3 on the shelf."'
req index_de -H 'Accept-Language: de-DE,de;q=0.9,en;q=0.5' "$B/"
t "Accept-Language: de picks messages_de.properties" eval 'body_has index_de "<html lang=\"de\">" && body_has index_de "<h1>Bücherregal</h1>" && body_has index_de "Ins Regal stellen"'
req index_fr -H 'Accept-Language: fr' "$B/"
t "a locale without a bundle (fr) falls back to messages.properties" eval 'body_has index_fr "<html lang=\"fr\">" && body_has index_fr "<h1>Bookshelf</h1>"'
req css "$B/css/app.css"
t "GET /css/app.css is the static stylesheet, byte for byte" eval 'status_is css 200 && header_is css Content-Type "^text/css" && body_same_as_file css "$R/static/css/app.css"'
req js "$B/js/app.js"
t "GET /js/app.js is the static script, byte for byte" eval 'header_is js Content-Type "javascript" && body_same_as_file js "$R/static/js/app.js"'
req png "$B/img/shelf.png"
t "GET /img/shelf.png is the static PNG, byte for byte" eval 'header_is png Content-Type "^image/png$" && body_same_as_file png "$R/static/img/shelf.png"'
req book "$B/books/1"
t "GET /books/1 is the book page" eval 'status_is book 200 && body_has book "<h1>The Left Hand of Darkness</h1>" && body_has book "<dd class=\"author\">Ursula K. Le Guin</dd>"'
t "the book page shows its creation time (yyyy-MM-dd HH:mm:ss)" body_matches book '<dd class="created">[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}</dd>'
req book_de -H 'Accept-Language: de' "$B/books/3"
t "GET /books/3 in German: labels from the German bundle, UTF-8 title" eval 'body_has book_de "<dt>Erfasst am</dt>" && body_has book_de "<title>Cien años de soledad – Bücherregal</title>"'
req nobook -H 'Accept: text/html' "$B/books/999"
t "GET /books/999 (a browser) is 404 with the custom error page templates/error/404.html" eval 'status_is nobook 404 && header_is nobook Content-Type "^text/html" && body_has nobook "<h1>Not on the shelf</h1>" && body_has nobook "There is no page at /books/999."'
req nopage -H 'Accept: text/html' -H 'Accept-Language: de' "$B/no/such/page"
t "an unknown path is 404 with the custom error page, in German" eval 'status_is nopage 404 && body_has nopage "<h1>Nicht im Regal</h1>" && body_has nopage "Unter /no/such/page gibt es keine Seite."'
req api "$B/api/books"
t "GET /api/books is JSON with the 3 seeded books in order" eval 'status_is api 200 && header_is api Content-Type "^application/json" && json_is api "map(.title) | join(\"|\")" "The Left Hand of Darkness|Der Zauberberg|Cien años de soledad"'
t "each book's createdAt is an ISO local date-time in seconds" json_is api 'map(.createdAt | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$")) | all' true
req api2 "$B/api/books/2"
t "GET /api/books/2 is one book" eval 'json_is api2 .author "Thomas Mann" && json_is api2 .year 1924'
req api404 "$B/api/books/999"
t "GET /api/books/999 is a 404 JSON error" eval 'status_is api404 404 && header_is api404 Content-Type "^application/json" && json_is api404 .status 404 && json_is api404 .path /api/books/999'
req created -H 'Content-Type: application/json' --data '{"title": "Kindred", "author": "Octavia E. Butler", "year": 1979}' "$B/api/books"
t "POST /api/books creates book 4 (201 with Location)" eval 'status_is created 201 && header_is created Location "/api/books/4$" && json_is created .id 4 && json_is created .title Kindred'
req back "$B/api/books/4"
t "GET /api/books/4 reads the new book back with its creation time" eval 'json_is back .author "Octavia E. Butler" && json_is back "(.createdAt | test(\"^[0-9-]{10}T[0-9:]{8}$\"))" true'
req bad -H 'Content-Type: application/json' --data '{"title": " ", "author": "Nobody", "year": 1200}' "$B/api/books"
t "an invalid POST /api/books is 400 with English field messages" eval 'status_is bad 400 && json_is bad .errors.title "Title is required" && json_is bad .errors.year "must be greater than or equal to 1450" && json_is bad ".errors | has(\"author\")" false'
req bad_de -H 'Content-Type: application/json' -H 'Accept-Language: de' --data '{"title": "", "author": "", "year": 2200}' "$B/api/books"
t "the same errors in German (app bundle and Hibernate Validator's bundle)" eval 'status_is bad_de 400 && json_is bad_de .errors.title "Bitte einen Titel angeben" && json_is bad_de .errors.author "Bitte einen Autor angeben" && json_is bad_de .errors.year "muss kleiner-gleich 2100 sein"'
req broken -H 'Content-Type: application/json' --data '{"title": ' "$B/api/books"
t "a malformed JSON body is 400" status_is broken 400
req form --data-urlencode 'title=Die Blechtrommel' --data-urlencode 'author=Günter Grass' --data 'year=1959' "$B/books"
t "the HTML form POST /books redirects (302) to the new book's page" eval 'status_is form 302 && header_is form Location "/books/5$"'
req formbook "$B/books/5"
t "the redirect target shows the book from the form (UTF-8 intact)" eval 'status_is formbook 200 && body_has formbook "<h1>Die Blechtrommel</h1>" && body_has formbook "Günter Grass"'
req formbad -H 'Accept-Language: de' --data 'title=&author=&year=1300' "$B/books"
t "an invalid form re-renders the shelf with German field errors" eval 'status_is formbad 200 && body_has formbad "<span class=\"error\">Bitte einen Titel angeben</span>" && body_has formbad "muss größer-gleich 1450 sein"'
req all "$B/api/books"
t "GET /api/books has both new books (5 in all)" eval 'json_is all length 5 && json_is all ".[4].title" "Die Blechtrommel"'
req health "$B/actuator/health"
t "GET /actuator/health is UP" eval 'status_is health 200 && json_is health .status UP'
finish
