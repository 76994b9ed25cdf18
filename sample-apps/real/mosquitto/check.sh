#!/usr/bin/env bash
# Functional check of the Mosquitto broker through its published port, with
# mosquitto_pub/mosquitto_sub. Usage: check.sh HOSTPORT (port 1883 of the container)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/check-lib.sh"
need mosquitto_pub
P=${1:?usage: check.sh HOSTPORT}
pub() { timeout 10 mosquitto_pub -h 127.0.0.1 -p "$P" "$@"; }
sub() { timeout 15 mosquitto_sub -h 127.0.0.1 -p "$P" "$@"; }
A=(-u alice -P alice-pw) Bo=(-u bob -P bob-pw)
# first retained message on TOPIC as USER (waits at most 3 s for it)
retained() { sub "${@:2}" -t "$1" -C 1 -W 3 2>/dev/null; }
wait_until 60 pub "${A[@]}" -t corpus/ready -m 1

t "anonymous clients are refused" eval '! pub -t corpus/x -m hi 2>"$CHECK_TMP/anon" && grep -qi "not authori" "$CHECK_TMP/anon"'
t "a wrong password is refused" eval '! pub -u alice -P nope -t corpus/x -m hi 2>/dev/null'
t "alice reads the retained message seeded at build time (persistence file)" eq "$(retained corpus/status "${A[@]}")" "seeded at build time"
t "bob reads the seeded public message" eq "$(retained corpus/public/news "${Bo[@]}")" "public news"
t "the ACL hides corpus/private from bob" eq "$(retained corpus/private/plan "${Bo[@]}")" ""
t "alice still reads corpus/private" eq "$(retained corpus/private/plan "${A[@]}")" "private plan"
t "alice publishes a retained UTF-8 message and reads it back" eval 'pub "${A[@]}" -q 1 -r -t corpus/greeting -m "grüß dich" && [ "$(retained corpus/greeting "${A[@]}")" = "grüß dich" ]'
t "bob may not publish (ACL): his retained message never arrives" eval 'pub "${Bo[@]}" -q 1 -r -t corpus/public/bob -m "from bob"; [ -z "$(retained corpus/public/bob "${A[@]}")" ]'
head -c 100000 /dev/urandom | base64 -w0 >"$CHECK_TMP/big"
t "a 133 kB retained payload comes back byte for byte" eval 'pub "${A[@]}" -q 1 -r -t corpus/big -f "$CHECK_TMP/big" && retained corpus/big "${A[@]}" -N >"$CHECK_TMP/big.back" && cmp -s "$CHECK_TMP/big" "$CHECK_TMP/big.back"'
queued() {   # a persistent session receives a QoS 1 message sent while it was away
  sub "${A[@]}" -i corpus-check-persist -c -q 1 -t corpus/queue -W 2 -C 1 >/dev/null 2>&1
  pub "${A[@]}" -q 1 -t corpus/queue -m "while you were away" || return 1
  [ "$(sub "${A[@]}" -i corpus-check-persist -c -q 1 -t corpus/queue -C 1 -W 5)" = "while you were away" ]
}
t "a persistent session gets the QoS 1 message queued while it was offline" queued
t "\$SYS/broker/version names mosquitto 2.0" eval 'retained "\$SYS/broker/version" "${A[@]}" | grep -q "^mosquitto version 2\.0\."'
t "MQTT v5 clients connect and read retained messages" eq "$(retained corpus/status "${A[@]}" -V mqttv5)" "seeded at build time"
t "MQTT v3.1 clients connect too" eq "$(retained corpus/status "${A[@]}" -V mqttv31)" "seeded at build time"
finish
