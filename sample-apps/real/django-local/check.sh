#!/usr/bin/env bash
# Functional check of the bookshelf Django app on gunicorn: templates of the project and
# of the app, the SQLite database seeded at build time, a CSRF-protected form, JSON,
# django.contrib.humanize in English and German, the project's 404 page, static files
# served by Django, the admin. Usage: check.sh HOSTPORT (port 8000 of the container)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/check-lib.sh"
need curl; need jq
P=${1:?usage: check.sh HOSTPORT}
B=http://127.0.0.1:$P
wait_until 60 curl -sf -o /dev/null "$B/api/books/"
JAR=$CHECK_TMP/jar ADMIN=$CHECK_TMP/admin-jar
# csrf NAME: the csrfmiddlewaretoken of the form in NAME's body
csrf() { sed -n 's/.*name="csrfmiddlewaretoken" value="\([^"]*\)".*/\1/p' "$CHECK_TMP/$1.body" | head -n1; }

req list "$B/"
t "GET / lists the 5 seeded books (app template, SQLite read)" eval 'status_is list 200 && header_is list Content-Type "^text/html; charset=utf-8" && [ "$(grep -c "<li class=\"book\">" "$CHECK_TMP/list.body")" = 5 ] && body_has list "Война и мир</a> by Лев Толстой"'
t "the page extends the project template templates/base.html" eval 'body_has list "<footer>A small Django bookshelf.</footer>" && body_has list "<link rel=\"stylesheet\" href=\"/static/shelf/style.css\">"'
req search "$B/?q=prince"
t "GET /?q=prince finds one book" eval '[ "$(grep -c "<li class=\"book\">" "$CHECK_TMP/search.body")" = 1 ] && body_has search "Le Petit Prince"'
req detail "$B/books/3/"
t "GET /books/3/ is the detail page, UTF-8 intact" eval 'status_is detail 200 && body_has detail "<h1>Cien años de soledad</h1>" && body_has detail "<dd class=\"author\">Gabriel García Márquez</dd>"'
req winter "$B/books/1/"
req summer "$B/books/2/"
t "dates are shown in Europe/Berlin (CET and CEST)" eval 'body_has winter "<dd class=\"added\">2024-03-01 12:30 CET</dd>" && body_has summer "<dd class=\"added\">2024-07-15 10:05 CEST</dd>"'
req nobook "$B/books/99/"
t "a missing book is 404 with the project's templates/404.html" eval 'status_is nobook 404 && body_has nobook "<h1>Not on the shelf</h1>" && body_has nobook "<code>/books/99/</code>"'
req nopage "$B/no/such/page"
t "an unknown URL is 404 with the same page" eval 'status_is nopage 404 && body_has nopage "<code>/no/such/page</code>" && body_has nopage "<footer>"'
req css "$B/static/shelf/style.css"
t "GET /static/shelf/style.css is the app's stylesheet, byte for byte" eval 'status_is css 200 && header_is css Content-Type "^text/css" && body_same_as_file css "$here/app/shelf/static/shelf/style.css"'
req svg "$B/static/shelf/book.svg"
t "GET /static/shelf/book.svg is image/svg+xml, byte for byte" eval 'header_is svg Content-Type "^image/svg\+xml" && body_same_as_file svg "$here/app/shelf/static/shelf/book.svg"'
lm=$(tr -d '\r' <"$CHECK_TMP/css.hdr" | sed -n 's/^[Ll]ast-[Mm]odified: //p')
req css304 -H "If-Modified-Since: $lm" "$B/static/shelf/style.css"
t "If-Modified-Since on the stylesheet is 304" eval '[ -n "$lm" ] && status_is css304 304'
req admincss "$B/static/admin/css/base.css"
t "GET /static/admin/css/base.css (collected from the admin package)" eval 'status_is admincss 200 && header_is admincss Content-Type "^text/css" && body_has admincss "DJANGO Admin styles"'
req jq "$B/static/admin/js/vendor/jquery/jquery.js"
t "GET /static/admin/js/vendor/jquery/jquery.js (the admin's jQuery)" eval 'status_is jq 200 && body_has jq "jQuery JavaScript Library v3"'
req api "$B/api/books/"
t "GET /api/books/ is JSON with the 5 books, UTF-8 unescaped" eval 'header_is api Content-Type "^application/json" && json_is api .count 5 && json_is api "[.books[] | select(.id == 4)][0].author" "Лев Толстой" && body_has api "Толстой"'
req stats "$B/stats/"
t "GET /stats/ uses django.contrib.humanize (apnumber, intcomma, intword, ordinal)" eval 'body_has stats "<li class=\"count\">five books</li>" && body_has stats "<li class=\"words\">1,270,830 words</li>" && body_has stats "<li class=\"intword\">1.3 million</li>" && body_has stats "oldest: 19th century"'
req statsde -H 'Accept-Language: de-DE,de;q=0.9' "$B/stats/"
t "GET /stats/ in German (LocaleMiddleware, humanize's catalog, German number format)" eval 'header_is statsde Content-Language "^de$" && body_has statsde "<html lang=\"de\">" && body_has statsde "fünf books" && body_has statsde "1.270.830 words" && body_has statsde "1,3 Millionen"'
req form -c "$JAR" "$B/books/new/"
token=$(csrf form)
t "GET /books/new/ is the form with a CSRF token and cookie" eval 'status_is form 200 && [ -n "$token" ] && grep -q "csrftoken" "$JAR" && body_has form "name=\"title\""'
req nocsrf --data 'title=Nope&author=Nobody&year=2000&words=1' "$B/books/new/"
t "a POST without the CSRF token is refused (403)" eval 'status_is nocsrf 403 && body_has nocsrf "CSRF verification failed"'
req invalid -b "$JAR" -c "$JAR" --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode 'title=Future' \
  --data-urlencode 'author=Someone' --data 'year=2500' "$B/books/new/"
t "an invalid POST shows the form's errors (200)" eval 'status_is invalid 200 && body_has invalid "That book has not been written yet." && body_has invalid "This field is required."'
req created -b "$JAR" -c "$JAR" --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode 'title=Der Zauberberg' \
  --data-urlencode 'author=Thomas Mann' --data 'year=1924&words=290000' "$B/books/new/"
t "a valid POST with the token creates book 6 (302 to its page)" eval 'status_is created 302 && header_is created Location "^/books/6/$"'
req created6 -b "$JAR" -c "$JAR" "$B/books/6/"
t "the new book's page shows it and the success message" eval 'status_is created6 200 && body_has created6 "<h1>Der Zauberberg</h1>" && body_has created6 "Added “Der Zauberberg”."'
req api2 "$B/api/books/"
t "the new book is in the database (JSON count 6)" eval 'json_is api2 .count 6 && json_is api2 "[.books[] | select(.id == 6)][0].author" "Thomas Mann"'
req login -c "$ADMIN" "$B/admin/login/?next=/admin/shelf/book/"
atoken=$(csrf login)
t "GET /admin/login/ is the admin's login page (package templates)" eval 'status_is login 200 && body_has login "Django administration" && [ -n "$atoken" ]'
req badlogin -b "$ADMIN" -c "$ADMIN" --data-urlencode "csrfmiddlewaretoken=$atoken" --data 'username=librarian&password=wrong&next=/admin/shelf/book/' "$B/admin/login/?next=/admin/shelf/book/"
t "a wrong admin password is refused" eval 'status_is badlogin 200 && body_has badlogin "Please enter the correct username and password"'
atoken=$(csrf badlogin)
req adminlist -L -b "$ADMIN" -c "$ADMIN" --data-urlencode "csrfmiddlewaretoken=$atoken" --data 'username=librarian&password=shelf-corpus-2024&next=/admin/shelf/book/' "$B/admin/login/?next=/admin/shelf/book/"
t "the admin login (user made at build time) leads to the book list with 6 books" eval 'status_is adminlist 200 && body_has adminlist "Der Zauberberg" && body_has adminlist "6 books" && grep -q sessionid "$ADMIN"'
finish
