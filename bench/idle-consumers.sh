#!/usr/bin/env bash
# What idle consumers cost a node: N kcat consumers (librdkafka, fetch.wait.max.ms 500) at the end
# of an 8-partition topic that nothing is appended to, long-polling over the Kafka port. Measured
# over 10 s after they settle: CPU of the node's JVM and of its PostgreSQL connections (/proc), and
# the partition reads its fetches made (calls of read_chunks, with track_functions = 'pl').
# usage: bench/idle-consumers.sh JAR [CONSUMERS...]   (needs kcat and psql; a node on port 18091
# with an embedded PostgreSQL on port 54391, data under /tmp/idle-bench)
set -u
JAR=$1; shift; COUNTS=${*:-30 100}; . "$(dirname "$0")/node.sh"
D=/tmp/idle-bench; rm -rf $D; mkdir -p $D
PORT=18091; PGPORT=54391; KPORT=19091
trap 'pkill -x kcat; kill $NODE 2>/dev/null; wait $NODE 2>/dev/null' EXIT
start_node $JAR $D $PORT ROWSTREAM_EMBEDDED_DB_PORT=$PGPORT ROWSTREAM_KAFKA_PORT=$KPORT || exit 1
export PGPASSWORD=$(cat $D/data/postgres.password) PGHOST=localhost PGPORT PGUSER=postgres PGDATABASE=postgres
create_topic $PORT '{"topic_name":"idle","partitions_count":8}' || exit 1
psql -q -c "alter system set track_functions = 'pl'" -c "select pg_reload_conf()" >/dev/null
ticks() { # the node's PostgreSQL connections' CPU ticks, the JVM's, and read_chunks calls so far
  local pg=0 t
  for p in $(psql -Atq -c "select pid from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()"); do
    t=$(awk '{print $14 + $15}' /proc/$p/stat 2>/dev/null) && pg=$((pg + t))
  done
  echo "$pg $(awk '{print $14 + $15}' /proc/$NODE/stat) $(psql -Atq -c "select coalesce(sum(calls), 0) from pg_stat_user_functions where funcname = 'read_chunks'")"
}
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(basename $JAR), consumers of an idle 8-partition topic"
for n in $COUNTS; do
  for i in $(seq 1 $n); do kcat -C -b localhost:$KPORT -t idle -o end -q -u >/dev/null 2>&1 & done
  sleep 8
  a=($(ticks)); sleep 10; b=($(ticks))
  printf '%4d consumers: node PostgreSQL %.3f cores, node JVM %.3f cores, %d partition reads/s\n' $n \
    "$(echo "(${b[0]} - ${a[0]}) / 1000" | bc -l)" "$(echo "(${b[1]} - ${a[1]}) / 1000" | bc -l)" $(( (${b[2]} - ${a[2]}) / 10 ))
  pkill -x kcat; sleep 2
done
