#!/usr/bin/env bash
# Functional check of Adminer on apache2 + mod_php: login to SQLite, read, write, read back.
# Usage: check.sh HOSTPORT (port 80 of the container)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/check-lib.sh"
need curl
P=${1:?usage: check.sh HOSTPORT}
B=http://127.0.0.1:$P
A=$B/adminer/
DB=/var/lib/adminer/corpus.sqlite
Q="?sqlite=&username=&db=%2Fvar%2Flib%2Fadminer%2Fcorpus.sqlite"
J=$CHECK_TMP/jar
wait_until 60 curl -sf -o /dev/null "$A"
login() {   # login NAME DRIVER SERVER USER PASSWORD DB [CURL-ARGS...]
  req "$1" "${@:7}" -c "$J" -b "$J" --data-urlencode "auth[driver]=$2" --data-urlencode "auth[server]=$3" \
    --data-urlencode "auth[username]=$4" --data-urlencode "auth[password]=$5" --data-urlencode "auth[db]=$6" "$A"
}

req root "$B/"
t "GET / is Debian's apache2 default page" eval 'status_is root 200 && body_has root "Apache2 Debian Default Page"'
req page -c "$J" -b "$J" "$A"
t "GET /adminer/ is Adminer's login page (PHP runs)" eval 'status_is page 200 && body_has page "<title>Login - Adminer</title>"'
t "the login form offers SQLite 3 and PostgreSQL" eval 'body_has page "<option value=\"sqlite\">SQLite 3" && body_has page "<option value=\"pgsql\">PostgreSQL"'
req css "$A?file=default.css&version=4.8.1"
t "Adminer's stylesheet is served as text/css" eval 'status_is css 200 && header_is css Content-Type "^text/css" && body_has css "font"'
req js "$A?file=functions.js&version=4.8.1"
t "Adminer's script is served as text/javascript" eval 'status_is js 200 && header_is js Content-Type "^text/javascript"'
req gz -H 'Accept-Encoding: gzip' "$A"
t "mod_deflate compresses the login page" header_is gz Content-Encoding '^gzip$'
login bad sqlite "" "" wrong "$DB" -L
t "a wrong SQLite password is refused" eval 'tr -d "\n" <"$CHECK_TMP/bad.body" | grep -q "Database does not support password"'
login pg pgsql 127.0.0.1:5999 someone secret "" -L
t "PostgreSQL login goes through the pgsql extension (connection refused)" body_has pg "Unable to connect to PostgreSQL server"
rm -f "$J"; req page2 -c "$J" -b "$J" "$A"
login ok sqlite "" "" corpus-pw "$DB"
t "the right password logs in: 302 to the database with a session cookie" eval 'status_is ok 302 && header_is ok Set-Cookie "^adminer_sid=" && header_is ok Location "db=%2Fvar%2Flib%2Fadminer%2Fcorpus.sqlite"'
req dbpage -c "$J" -b "$J" "$A$Q"
t "the database page lists the books table" eval 'body_has dbpage "<title>Database: /var/lib/adminer/corpus.sqlite - Adminer" && body_has dbpage "books"'
req sel -c "$J" -b "$J" "$A$Q&select=books"
t "selecting from books shows the seeded rows (UTF-8 intact)" eval 'body_has sel "Dune" && body_has sel "Cortázar"'
req sqlform -c "$J" -b "$J" "$A$Q&sql="
token=$(grep -o 'name="token" value="[^"]*"' "$CHECK_TMP/sqlform.body" | head -n1 | sed 's/.*value="//; s/"$//')
req ins -c "$J" -b "$J" --data-urlencode "query=INSERT INTO books (title, author) VALUES ('Solaris', 'Stanisław Lem');" --data-urlencode "token=$token" "$A$Q&sql="
t "an INSERT through the SQL command page is executed" eval '[ -n "$token" ] && body_has ins "Query executed OK, 1 row affected."'
req sel2 -c "$J" -b "$J" "$A$Q&select=books"
t "the inserted row reads back" eval 'body_has sel2 "Solaris" && body_has sel2 "Stanisław Lem"'
req count -c "$J" -b "$J" --data-urlencode "query=SELECT count(*) AS n FROM books;" --data-urlencode "token=$token" "$A$Q&sql="
t "SELECT count(*) through the SQL page gives 4" eval 'tr -d "\n" <"$CHECK_TMP/count.body" | grep -q "<td>4</td>\|<td>4<"'
req nf "$B/no-such-page"
t "a missing page is 404" status_is nf 404
finish
