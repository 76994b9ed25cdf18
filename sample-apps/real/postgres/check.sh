#!/usr/bin/env bash
# Functional check of PostgreSQL 15 through its published port, with psql.
# Usage: check.sh HOSTPORT (port 5432 of the container)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/check-lib.sh"
need psql
P=${1:?usage: check.sh HOSTPORT}
export PGHOST=127.0.0.1 PGPORT=$P PGCONNECT_TIMEOUT=5 PGSSLMODE=prefer
# q USER PASSWORD DB SQL: one value, unaligned
q() { PGPASSWORD=$2 psql -X -q -A -t -v ON_ERROR_STOP=1 -U "$1" -d "$3" -c "$4" 2>"$CHECK_TMP/psql.err"; }
shop() { q shop shop-secret shop "$1"; }
admin() { q postgres corpus-admin postgres "$1"; }
wait_until 60 shop "SELECT 1"

t "the shop role logs in with its password and runs SELECT 1" eq "$(shop 'SELECT 1')" 1
t "the server is PostgreSQL 15" eval '[[ "$(admin "SHOW server_version")" == 15.* ]]'
t "the rows seeded at build time are there (3 items)" eq "$(shop 'SELECT count(*) FROM items')" 3
t "a seeded UTF-8 name reads back exactly" eq "$(shop "SELECT name FROM items WHERE id = 1")" "Crème brûlée"
t "a wrong password is refused" eval '! q shop wrong shop "SELECT 1" && grep -q "password authentication failed" "$CHECK_TMP/psql.err"'
t "INSERT, then a new connection SELECTs it back" eval 'shop "INSERT INTO items (name, price) VALUES ('"'"'Baklava'"'"', 4.75)" && [ "$(shop "SELECT price FROM items WHERE name = '"'"'Baklava'"'"'")" = 4.75 ]'
t "UPDATE changes one row and the index finds it" eval 'shop "UPDATE items SET price = 8 WHERE name = '"'"'Tiramisù'"'"'" && [ "$(shop "SET enable_seqscan = off; SELECT price FROM items WHERE name = '"'"'Tiramisù'"'"'")" = 8.00 ]'
t "10000 generated rows in a new table sum up right" eq "$(shop 'CREATE TABLE nums AS SELECT g AS n FROM generate_series(1, 10000) g; SELECT sum(n) FROM nums')" 50005000
t "a PL/pgSQL function is created and called" eq "$(shop 'CREATE FUNCTION twice(x int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 2 * x; END $$; SELECT twice(21)')" 42
t "full-text search with the english configuration stems and drops stop words" eq "$(shop "SELECT to_tsvector('english', 'The quick brown foxes jumped')")" "'brown':3 'fox':4 'jump':5 'quick':2"
t "the pgcrypto extension installs and hashes" eq "$(admin "CREATE EXTENSION IF NOT EXISTS pgcrypto; SELECT encode(digest('abc', 'sha256'), 'hex')")" ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
t "time zones: noon UTC is 08:00 in New York in July" eq "$(shop "SET TIME ZONE 'America/New_York'; SELECT to_char('2024-07-01 12:00:00+00'::timestamptz, 'HH24:MI TZ')")" "08:00 EDT"
t "an ICU collation sorts German words (a, Ä, b)" eq "$(shop "SELECT string_agg(w, ',' ORDER BY w COLLATE \"de-x-icu\") FROM unnest(ARRAY['b', 'Ä', 'a']) w")" "a,Ä,b"
t "the connection is encrypted with TLS (the image's snakeoil certificate)" eq "$(PGSSLMODE=require shop 'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')" t
t "EXPLAIN of a join plans without error" eval 'shop "EXPLAIN SELECT * FROM items a JOIN items b USING (id)" | grep -q "Join"'
finish
