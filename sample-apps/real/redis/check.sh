#!/usr/bin/env bash
# Functional check of redis-server through its published port, with redis-cli.
# Usage: check.sh HOSTPORT (port 6379 of the container)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/check-lib.sh"
need redis-cli
P=${1:?usage: check.sh HOSTPORT}
r() { timeout 10 redis-cli -h 127.0.0.1 -p "$P" --no-raw "$@" 2>&1 | sed 's/^"\(.*\)"$/\1/'; }
raw() { timeout 10 redis-cli -h 127.0.0.1 -p "$P" --raw "$@" 2>&1; }
wait_until 60 eval '[ "$(raw ping)" = PONG ]'

t "PING answers PONG" eq "$(raw ping)" PONG
t "the server is redis 7.0" eval 'raw info server | grep -q "^redis_version:7\.0\."'
t "a key written at build time is loaded from /var/lib/redis" eq "$(raw get greeting)" "hello from build time"
t "a hash written at build time reads back" eq "$(raw hget user:1 name)" "Ada Lovelace"
t "a list written at build time has its 3 jobs in order" eq "$(raw lrange queue 0 -1 | tr '\n' ,)" "job-1,job-2,job-3,"
t "SET then GET a new UTF-8 value" eval '[ "$(raw set city "Zürich")" = OK ] && [ "$(raw get city)" = "Zürich" ]'
t "INCR twice gives 2" eval 'raw incr hits >/dev/null && [ "$(raw incr hits)" = 2 ]'
t "EXPIRE sets a TTL" eval 'raw expire city 1000 >/dev/null && ttl=$(raw ttl city) && [ "$ttl" -gt 900 ] && [ "$ttl" -le 1000 ]'
t "a Lua script runs (EVAL)" eq "$(raw eval "return redis.call('hget', KEYS[1], 'born') + 0" 1 user:1)" 1815
t "the AOF is on (appendonly from the edited config)" eq "$(raw config get appendonly | tail -n1)" yes
t "the data dir is /var/lib/redis" eq "$(raw config get dir | tail -n1)" /var/lib/redis
t "SAVE writes the RDB file into the state directory" eval '[ "$(raw save)" = OK ] && raw info persistence | tr -d "\r" | grep -q "^rdb_last_bgsave_status:ok"'
aof_rewritten() {
  local i info
  raw bgrewriteaof >/dev/null
  for i in $(seq 40); do
    info=$(raw info persistence | tr -d '\r')
    if grep -q '^aof_rewrite_in_progress:0' <<<"$info" && ! grep -q '^aof_rewrite_scheduled:1' <<<"$info"; then
      grep -q '^aof_last_bgrewrite_status:ok' <<<"$info"; return
    fi
    sleep 0.25
  done
  return 1
}
t "BGREWRITEAOF succeeds (fork + write in the state directory)" aof_rewritten
t "DBSIZE counts the seeded and the new keys (6)" eq "$(raw dbsize)" 6
t "an unknown command is an error" eval 'raw nosuchcommand | grep -q "unknown command"'
finish
