#!/usr/bin/env bash
# Sends of 1 KiB records from SQL (rowstream.send) against a plain INSERT of the same rows into a
# table (the outbox a team would write by hand), in the same run on the same PostgreSQL: 8
# connections (pgbench -c 8), single-record transactions and 100-record transactions (100
# statements between begin and commit), records/s committed by the application; the sends with
# the commit-time notification (the default) and without it (rowstream.send_notify=off, moved by
# the nodes' 100 ms sweep). After each send run it also times how long the node takes to move what
# is still pending into the log. The -call-only runs stop the node meanwhile (SIGSTOP): what the
# call costs the application when nothing moves on the same cores.
# usage: bench/sql-send.sh JAR [SECONDS]   (needs pgbench and psql; a node on port 18091 with an
# embedded PostgreSQL on port 54391, data under /tmp/sqlsend-bench)
set -u
JAR=$1; SECONDS_PER_RUN=${2:-20}; J=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin
D=/tmp/sqlsend-bench; rm -rf $D; mkdir -p $D
PORT=18091; PGPORT=54391; KPORT=19091
ROWSTREAM_DATA_DIR=$D/data ROWSTREAM_HTTP_PORT=$PORT ROWSTREAM_EMBEDDED_DB_PORT=$PGPORT ROWSTREAM_KAFKA_PORT=$KPORT \
  $J/java -XX:MaxGCPauseMillis=20 -Djava.io.tmpdir=$D -jar $JAR > $D/node.log 2>&1 &
NODE=$!
trap 'kill $NODE 2>/dev/null; wait $NODE 2>/dev/null' EXIT
for i in $(seq 1 240); do curl -sf localhost:$PORT/status/ready >/dev/null && break; sleep 0.5; done
export PGPASSWORD=$(cat $D/data/postgres.password) PGHOST=localhost PGPORT PGUSER=postgres PGDATABASE=postgres
for topic in '{"topic_name":"bench","partitions_count":8}' \
    '{"topic_name":"latency","partitions_count":8,"configs":[{"name":"message.timestamp.type","value":"LogAppendTime"}]}'; do
for i in $(seq 1 60); do  # the node may answer ready a moment before it creates topics
  CID=$(curl -s localhost:$PORT/v3/clusters | sed -E 's/.*"cluster_id":"([^"]+)".*/\1/')
  curl -s -X POST localhost:$PORT/v3/clusters/$CID/topics -H 'Content-Type: application/json' \
    -d "$topic" >/dev/null
  name=$(echo "$topic" | sed -E 's/.*"topic_name":"([^"]+)".*/\1/')
  [ "$(psql -Atq -c "select count(*) from rowstream.topic where name = '$name'")" = 1 ] && break
  sleep 0.5
done
done
# The hand-written outbox: the same row rowstream.send stores (topic, partition, key, value,
# headers, timestamp), an identity key and an index on it, nothing else.
psql -q -c "create table bench_outbox (id bigint generated always as identity primary key, topic text not null,
  partition_id integer, key bytea, value bytea, headers jsonb, created_at timestamptz not null default clock_timestamp())"
VALUE="'\\x$(head -c 1024 /dev/urandom | od -An -v -tx1 | tr -d ' \n')'::bytea"
# The floor of any send function, for reference: a PL/pgSQL security definer function that only
# does the outbox's INSERT (what calling a function costs), and one that first finds the topic's
# row as send does (send_topic, by name) and inserts from it (the least a send that checks its
# topic at the call costs). Same arguments as rowstream.send.
psql -q <<'SQL'
create function bench_wrapped_insert(topic text, value bytea, key bytea default null,
    headers jsonb default null, "partition" integer default null, "timestamp" timestamptz default null)
returns integer language plpgsql security definer as $f$
begin
    insert into public.bench_outbox (topic, value) values (topic, value);
    return 0;
end $f$;
create function bench_wrapped_lookup(topic text, value bytea, key bytea default null,
    headers jsonb default null, "partition" integer default null, "timestamp" timestamptz default null)
returns integer language plpgsql security definer as $f$
#variable_conflict use_variable
declare v integer;
begin
    insert into public.bench_outbox (topic, partition_id, value)
    select topic, 0, value from rowstream.send_topic t where t.name = topic
    returning partition_id into v;
    return v;
end $f$;
SQL
for f in wrapped_insert wrapped_lookup; do
  echo "select bench_$f('bench', $VALUE);" > $D/$f-1.sql
  { echo "begin;"; for i in $(seq 1 100); do echo "select bench_$f('bench', $VALUE);"; done; echo "commit;"; } > $D/$f-100.sql
done
echo "select rowstream.send('bench', $VALUE);" > $D/send-1.sql
echo "insert into bench_outbox (topic, value) values ('bench', $VALUE);" > $D/insert-1.sql
{ echo "begin;"; for i in $(seq 1 100); do echo "select rowstream.send('bench', $VALUE);"; done; echo "commit;"; } > $D/send-100.sql
{ echo "begin;"; for i in $(seq 1 100); do echo "insert into bench_outbox (topic, value) values ('bench', $VALUE);"; done; echo "commit;"; } > $D/insert-100.sql

pending() { psql -Atq -c "select coalesce(sum(pending_records), 0) from rowstream.sent_record_overview"; }
moved() { psql -Atq -c "select coalesce(sum(log_end_offset), 0) from rowstream.topic_partition"; }
run() { # name script records-per-transaction [PGOPTIONS] [paused: the node is stopped meanwhile]
  psql -q -c "checkpoint" >/dev/null
  local out tps
  [ -n "${5:-}" ] && kill -STOP $NODE
  out=$(PGOPTIONS=${4:-} pgbench -n -M prepared -c 8 -j 2 -T $SECONDS_PER_RUN -f $D/$2 2>&1)
  [ -n "${5:-}" ] && kill -CONT $NODE
  tps=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
  [ -z "$tps" ] && { echo "$out" | grep -v "^pgbench (" | head -8; return; }
  lat=$(echo "$out" | sed -n 's/^latency average = \([0-9.]*\) ms/\1/p')
  printf '%-22s %8.0f records/s  (%s transactions/s, latency avg %s ms)\n' "$1" "$(echo "$tps * $3" | bc -l)" "$tps" "$lat"
  if [[ $1 == send* ]]; then
    local start=$(date +%s.%N) p=$(pending)
    while [ "$(pending)" != 0 ]; do sleep 0.1; done
    printf '%-22s %s records pending when the senders stopped, all moved %.1f s later; %s records in the log\n' "" "$p" "$(echo "$(date +%s.%N) - $start" | bc -l)" "$(moved)"
  fi
}
# Commit -> in the log: 1,000 single-record transactions a second (pgbench -R), each value the
# sender's clock_timestamp() and 1 KiB of padding, to a LogAppendTime topic, whose records carry the
# time the node appended them (its clock: the same machine). Percentiles of append - send, ms.
echo "select rowstream.send('latency', convert_to(clock_timestamp()::text || repeat('x', 1024), 'UTF8'));" > $D/latency.sql
# Commit -> received: a Kafka consumer (SentRecordReceipt) on the node's Kafka port receives the
# same records as they come and measures each from its send to its receipt.
latency() { # name [PGOPTIONS]
  local since=$(psql -Atq -c "select clock_timestamp()")
  $J/java -cp $JAR io.rowstream.bench.SentRecordReceipt localhost:$KPORT latency 8 $((SECONDS_PER_RUN + 5)) > $D/receipt.out 2>$D/receipt.err &
  local receiver=$!
  for i in $(seq 1 100); do grep -q receiving $D/receipt.out 2>/dev/null && break; sleep 0.2; done
  PGOPTIONS=${2:-} pgbench -n -M prepared -c 8 -j 2 -R 1000 -T $SECONDS_PER_RUN -f $D/latency.sql >/dev/null 2>&1
  while [ "$(pending)" != 0 ]; do sleep 0.1; done
  wait $receiver
  grep -v receiving $D/receipt.out | while read -r line; do printf '%-22s %s\n' "$1" "$line"; done
  psql -Atq -F ' ' -c "select '$1', count(*), round(percentile_cont(0.5) within group (order by ms)::numeric, 1),
      round(percentile_cont(0.99) within group (order by ms)::numeric, 1), round(max(ms)::numeric, 1)
    from (select extract(epoch from m.\"timestamp\" - split_part(convert_from(m.value, 'UTF8'), 'x', 1)::timestamptz) * 1000 as ms
            from generate_series(0, 7) p cross join lateral rowstream.read_messages('latency', p, 0, 1000000) m
           where split_part(convert_from(m.value, 'UTF8'), 'x', 1)::timestamptz >= '$since') l" | awk '{printf "%-22s %s records, commit -> appended ms: p50 %s  p99 %s  max %s\n", $1, $2, $3, $4, $5}'
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, $SECONDS_PER_RUN s per run, 8 connections, 1 KiB values"
for round in $([ "${ONLY_LATENCY:-}" = 1 ] || echo 1 2); do
  run insert-1 insert-1.sql 1
  run send-1 send-1.sql 1
  run send-1-no-notify send-1.sql 1 "-c rowstream.send_notify=off"
  run insert-100 insert-100.sql 100
  run send-100 send-100.sql 100
  run send-100-no-notify send-100.sql 100 "-c rowstream.send_notify=off"
  # The call alone: the node stopped (nothing moves), no notification.
  run send-1-call-only send-1.sql 1 "-c rowstream.send_notify=off" paused
  run send-100-call-only send-100.sql 100 "-c rowstream.send_notify=off" paused
  # The floor of any send function (above), the node stopped as well.
  run wrapped-insert-1 wrapped_insert-1.sql 1 "" paused
  run wrapped-lookup-1 wrapped_lookup-1.sql 1 "" paused
  run wrapped-insert-100 wrapped_insert-100.sql 100 "" paused
  run wrapped-lookup-100 wrapped_lookup-100.sql 100 "" paused
done
# Before the latency runs: a checkpoint, the slots the send runs filled emptied (the nodes
# truncate them within about 30 s of their last rows moving), and 10 s of the same load unmeasured,
# received by the same consumer (the node's JIT compiles the paths a trickle of single-record moves
# and the Kafka fetches at the log end take; a first run on a cold node measured p50 15.8, p99 123
# ms, against 11.7, 47.2 right after it; after a warm-up without the consumer, the first run
# measured p99 73-91 ms and the next ones 30-43, 2026-12-05).
psql -q -c "checkpoint" >/dev/null
for i in $(seq 1 60); do [ "$(psql -Atq -c "select count(*) < 50000 from rowstream.sent_record")" = t ] && break; sleep 1; done
$J/java -cp $JAR io.rowstream.bench.SentRecordReceipt localhost:$KPORT latency 8 15 > $D/warmup.out 2>$D/warmup.err &
warmup=$!
for i in $(seq 1 100); do grep -q receiving $D/warmup.out 2>/dev/null && break; sleep 0.2; done
PGOPTIONS="-c rowstream.send_notify=off" pgbench -n -M prepared -c 8 -j 2 -R 1000 -T 10 -f $D/latency.sql >/dev/null 2>&1
while [ "$(pending)" != 0 ]; do sleep 0.1; done
wait $warmup
latency latency-default
latency latency-no-notify "-c rowstream.send_notify=off"
