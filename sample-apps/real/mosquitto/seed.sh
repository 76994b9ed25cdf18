#!/bin/sh
# Build-time seeding: start the broker, publish retained messages, stop it so that it
# writes its persistence file /var/lib/mosquitto/mosquitto.db.
set -e
mosquitto -c /etc/mosquitto/mosquitto.conf -d
i=0
until mosquitto_pub -p 1883 -u alice -P alice-pw -t corpus/ping -m x 2>/dev/null; do
  i=$((i + 1)); [ $i -lt 50 ] || exit 1; sleep 0.2
done
mosquitto_pub -p 1883 -u alice -P alice-pw -q 1 -r -t corpus/status -m "seeded at build time"
mosquitto_pub -p 1883 -u alice -P alice-pw -q 1 -r -t corpus/public/news -m "public news"
mosquitto_pub -p 1883 -u alice -P alice-pw -q 1 -r -t corpus/private/plan -m "private plan"
kill "$(cat /run/mosquitto/mosquitto.pid)"
i=0
while [ -e /run/mosquitto/mosquitto.pid ] && kill -0 "$(cat /run/mosquitto/mosquitto.pid)" 2>/dev/null; do
  i=$((i + 1)); [ $i -lt 50 ] || exit 1; sleep 0.2
done
ls -la /var/lib/mosquitto
test -s /var/lib/mosquitto/mosquitto.db
