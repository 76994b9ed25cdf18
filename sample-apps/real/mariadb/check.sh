#!/usr/bin/env bash
# Functional check of MariaDB through its published port, with the mariadb client.
# Usage: check.sh HOSTPORT (port 3306 of the container)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/check-lib.sh"
need mariadb
P=${1:?usage: check.sh HOSTPORT}
# q USER PASSWORD SQL: values, tab-separated, no headers
q() { timeout 20 mariadb --protocol=TCP -h 127.0.0.1 -P "$P" -u "$1" -p"$2" --batch --skip-column-names --connect-timeout=5 --default-character-set=utf8mb4 -e "$3" 2>"$CHECK_TMP/err"; }
shop() { q shop shop-secret "USE shop; $1"; }
admin() { q admin admin-secret "$1"; }
wait_until 60 shop "SELECT 1"

t "the shop user logs in with its password" eq "$(shop 'SELECT 1')" 1
t "the server is MariaDB 10.11" eval '[[ "$(admin "SELECT VERSION()")" == 10.11.* ]]'
t "the rows seeded at build time are there (3 items)" eq "$(shop 'SELECT COUNT(*) FROM items')" 3
t "a seeded UTF-8 name reads back exactly" eq "$(shop 'SELECT name FROM items WHERE id = 1')" "Crème brûlée"
t "a wrong password is refused with the server's error text" eval '! q shop wrong "SELECT 1" && grep -q "Access denied for user" "$CHECK_TMP/err"'
t "INSERT, then a new connection SELECTs it back" eval 'shop "INSERT INTO items (name, price) VALUES ('"'"'Baklava'"'"', 4.75)" && [ "$(shop "SELECT price FROM items WHERE name = '"'"'Baklava'"'"'")" = 4.75 ]'
t "a bad query gets the server's English error message" eval '! shop "SELEC 1" && grep -q "You have an error in your SQL syntax" "$CHECK_TMP/err"'
t "10000 generated rows in a new InnoDB table sum up right" eq "$(shop 'CREATE TABLE nums (n INT) ENGINE=InnoDB; INSERT INTO nums SELECT seq FROM seq_1_to_10000; SELECT SUM(n) FROM nums')" 50005000
t "a stored procedure is created and called" eq "$(shop 'CREATE PROCEDURE twice(IN x INT) SELECT 2 * x; CALL twice(21)')" 42
t "JSON functions work" eq "$(shop "SELECT JSON_VALUE('{\"a\": {\"b\": [10, 20]}}', '\$.a.b[1]')")" 20
t "a FULLTEXT index finds a word" eq "$(shop "CREATE TABLE docs (body TEXT, FULLTEXT (body)) ENGINE=InnoDB; INSERT INTO docs VALUES ('the quick brown fox'), ('lazy dogs sleep'); SELECT body FROM docs WHERE MATCH(body) AGAINST('fox')")" "the quick brown fox"
t "a plugin is loaded on demand (INSTALL SONAME ha_blackhole)" eval 'admin "INSTALL SONAME '"'"'ha_blackhole'"'"'" ; [ "$(admin "SELECT ENGINE FROM information_schema.ENGINES WHERE ENGINE = '"'"'BLACKHOLE'"'"'")" = BLACKHOLE ]'
t "latin1 conversion of a UTF-8 string keeps the characters" eq "$(shop "SELECT HEX(CONVERT('é' USING latin1))")" E9
t "the German collation sorts a, Ä, b" eq "$(shop "SELECT GROUP_CONCAT(w ORDER BY w COLLATE utf8mb4_german2_ci) FROM (SELECT 'b' AS w UNION ALL SELECT 'Ä' UNION ALL SELECT 'a') t")" "a,Ä,b"
t "the data directory is /var/lib/mysql/" eq "$(admin 'SELECT @@datadir')" /var/lib/mysql/
finish
