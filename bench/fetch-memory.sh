#!/usr/bin/env bash
# Heap and RSS of one node serving 24 concurrent fetches of up to 21.6 MB each (issue 17, finding 15).
# usage: bench/fetch-memory.sh JAR LABEL   (a node on port 18090 with its data under /tmp/memrun-LABEL;
# needs curl and python3). Prints the heap after producing ~22 MB into one partition, the heap's peak
# while the fetches run (sampled with jcmd every 0.2 s), the RSS high-water mark, and the answers.
set -u
JAR=$1; LABEL=$2; . "$(dirname "$0")/node.sh"
D=/tmp/memrun-$LABEL; rm -rf $D; mkdir -p $D
PORT=18090
start_node $JAR $D $PORT ROWSTREAM_EMBEDDED_DB_PORT=0 || exit 1
create_topic $PORT '{"topic_name":"big","partitions_count":1}' || exit 1
# 22 requests of 1000 records x 1000 bytes of value (base64) -> ~22 MB
python3 - > $D/body.json <<'PY'
import base64, json, os
v=base64.b64encode(os.urandom(1000)).decode()
print(json.dumps({"records":[{"value":v} for _ in range(1000)]}))
PY
for i in $(seq 1 22); do curl -s -o /dev/null -X POST localhost:$PORT/topics/big/partitions/0 \
  -H 'Content-Type: application/vnd.kafka.binary.v2+json' --data-binary @$D/body.json; done
$J/jcmd $NODE GC.run >/dev/null; sleep 1
base=$($J/jcmd $NODE GC.heap_info | sed -n 's/.*used \([0-9]*\)K.*/\1/p' | head -1)
rss0=$(awk '/VmRSS/{print $2}' /proc/$NODE/status)
# 24 concurrent fetches of up to 21.6 MB each
PIDS=()
for i in $(seq 1 24); do
  curl -s -o /dev/null -w '%{http_code} %{size_download}\n' \
    "localhost:$PORT/topics/big/partitions/0/records?offset=0&max_bytes=21600000" \
    -H 'Accept: application/vnd.kafka.binary.v2+json' > $D/f$i.out &
  PIDS+=($!)
done
peak=0
while [ "$(ps -o pid= -p "$(IFS=,; echo "${PIDS[*]}")" | wc -l)" -gt 0 ]; do
  u=$($J/jcmd $NODE GC.heap_info 2>/dev/null | sed -n 's/.*used \([0-9]*\)K.*/\1/p' | head -1)
  [ -n "$u" ] && [ "$u" -gt "$peak" ] && peak=$u
  sleep 0.2
done
wait "${PIDS[@]}" 2>/dev/null
hwm=$(awk '/VmHWM/{print $2}' /proc/$NODE/status)
echo "$LABEL: heap after produce+GC ${base}K, heap peak during fetches ${peak}K, RSS before ${rss0}K, RSS high-water ${hwm}K"
cat $D/f*.out | awk '{c[$1]++; b[$1]=$2} END {for (k in c) print "  status " k ": " c[k] " responses, " b[k] " bytes each"}'
kill $NODE; wait $NODE 2>/dev/null
