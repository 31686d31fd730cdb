#!/usr/bin/env bash
# Latency of a signed-in client (200 sequential GET /brokers with Basic credentials, cached after
# the first) alone, then while 16 loops send wrong passwords as fast as curl can (issue 17, finding 4).
# usage: bench/auth-flood.sh JAR LABEL   (a node on port 18091 with authentication on; needs curl)
set -u
JAR=$1; LABEL=$2; . "$(dirname "$0")/node.sh"
D=/tmp/flood-$LABEL; rm -rf $D; mkdir -p $D; PORT=18091
start_node $JAR $D $PORT ROWSTREAM_EMBEDDED_DB_PORT=0 ROWSTREAM_AUTH_ENABLED=true \
  ROWSTREAM_SUPER_USERS='User:admin' ROWSTREAM_BOOTSTRAP_USER=admin ROWSTREAM_BOOTSTRAP_PASSWORD=s3cret-admin || exit 1
measure() { for i in $(seq 1 200); do curl -s -o /dev/null -w '%{time_total}\n' -u admin:s3cret-admin localhost:$PORT/brokers; done | sort -n | awk '{a[NR]=$1} END {printf "median %.1f ms, p90 %.1f ms", a[int(NR/2)]*1000, a[int(NR*0.9)]*1000}'; }
echo "$LABEL alone: $(measure)"
PIDS=()
for t in $(seq 1 16); do ( i=0; while true; do i=$((i+1)); curl -s -o /dev/null -u "admin:wrong-$t-$i" localhost:$PORT/brokers; done ) & PIDS+=($!); done
sleep 3
echo "$LABEL during a 16-thread flood of wrong passwords: $(measure)"
kill "${PIDS[@]}" 2>/dev/null; wait "${PIDS[@]}" 2>/dev/null
kill $NODE; wait $NODE 2>/dev/null
