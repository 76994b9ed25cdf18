#!/usr/bin/env bash
# Functional check of memcached's text protocol through its published port (bash /dev/tcp).
# Usage: check.sh HOSTPORT (port 11211 of the container)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/check-lib.sh"
P=${1:?usage: check.sh HOSTPORT}
# mc 'COMMANDS': sends the commands (\r\n line ends) then "quit"; prints the replies.
mc() {
  local out
  out=$(timeout 10 bash -c 'exec 3<>/dev/tcp/127.0.0.1/'"$P"' || exit 1
    printf "%b" "$1quit\r\n" >&3; cat <&3' _ "$1" 2>/dev/null) || return 1
  printf '%s' "$out" | tr -d '\r'
}
wait_until 60 eval 'mc "version\r\n" | grep -q "^VERSION"'

t "version is 1.6" eval 'mc "version\r\n" | grep -q "^VERSION 1\.6\."'
t "set then get returns the value" eq "$(mc 'set greeting 0 0 5\r\nhello\r\nget greeting\r\n')" $'STORED\nVALUE greeting 0 5\nhello\nEND'
t "flags are stored with the value" eq "$(mc 'set f 42 0 1\r\nx\r\nget f\r\n' | sed -n 2p)" "VALUE f 42 1"
t "add of an existing key is NOT_STORED" eq "$(mc 'add greeting 0 0 1\r\nx\r\n')" NOT_STORED
t "append extends a value" eq "$(mc 'append greeting 0 0 6\r\n world\r\nget greeting\r\n' | sed -n 3p)" "hello world"
t "incr counts" eq "$(mc 'set n 0 0 1\r\n5\r\nincr n 10\r\nincr n 1\r\n' | tail -n1)" 16
t "delete removes a key" eq "$(mc 'delete greeting\r\nget greeting\r\n')" $'DELETED\nEND'
cas_ok() {
  local unique
  mc 'set c 0 0 1\r\na\r\n' >/dev/null
  unique=$(mc 'gets c\r\n' | sed -n '1s/^VALUE c 0 1 //p')
  [ -n "$unique" ] && [ "$(mc "cas c 0 0 1 $unique\r\nb\r\ncas c 0 0 1 $unique\r\nc\r\n")" = $'STORED\nEXISTS' ]
}
t "cas stores with the right unique and refuses a stale one" cas_ok
t "multi-get returns every key asked for" eq "$(mc 'set k1 0 0 1\r\n1\r\nset k2 0 0 1\r\n2\r\nget k1 k2 nokey\r\n' | grep -c '^VALUE')" 2
head -c 200000 /dev/urandom | base64 -w0 >"$CHECK_TMP/big"
big_ok() {   # the value is 267 kB: sent from a file, too big for one command-line argument
  local len; len=$(wc -c <"$CHECK_TMP/big")
  { printf 'set big 0 0 %s\r\n' "$len"; cat "$CHECK_TMP/big"; printf '\r\nget big\r\nquit\r\n'; } >"$CHECK_TMP/big.cmd"
  timeout 10 bash -c 'exec 3<>/dev/tcp/127.0.0.1/'"$P"' || exit 1; cat "$1" >&3; cat <&3' _ "$CHECK_TMP/big.cmd" \
    | tr -d '\r' | sed -n 3p >"$CHECK_TMP/big.back"
  { cat "$CHECK_TMP/big"; echo; } | cmp -s - "$CHECK_TMP/big.back"
}
t "a 267 kB value comes back byte for byte" big_ok
t "stats reports the run user's limits and curr_connections" eval 'mc "stats\r\n" | grep -q "^STAT curr_connections "'
t "stats settings shows -m 64 (maxbytes 67108864)" eval 'mc "stats settings\r\n" | grep -q "^STAT maxbytes 67108864$"'
t "an unknown command is ERROR" eq "$(mc 'bogus\r\n')" ERROR
finish
