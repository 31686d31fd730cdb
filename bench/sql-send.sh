#!/usr/bin/env bash
# Sends of 1 KiB records from SQL (rowstream.send) against a plain INSERT of the same rows into a
# table (the outbox a team would write by hand), in the same run on the same PostgreSQL: 8
# connections (pgbench -c 8), single-record transactions and 100-record transactions (100
# statements between begin and commit), records/s committed by the application; the sends with
# the commit-time notification (the default) and without it (rowstream.send_notify=off: moved when
# the nodes poll, every 5 ms while records keep coming, or sweep). After each send run it also
# times how long the node takes to move what is still pending into the log. The -call-only runs
# stop the node meanwhile (SIGSTOP): what the call costs the application when nothing moves on the
# same cores. Then commit -> received at 1,000 records/s (below).
# usage: bench/sql-send.sh JAR [SECONDS]   (needs pgbench and psql; a node on port 18091 with an
# embedded PostgreSQL on port 54391, data under /tmp/sqlsend-bench)
set -u
JAR=$1; SECONDS_PER_RUN=${2:-20}; . "$(dirname "$0")/node.sh"
D=/tmp/sqlsend-bench; rm -rf $D; mkdir -p $D
PORT=18091; PGPORT=54391; KPORT=19091
trap 'kill $NODE 2>/dev/null; wait $NODE 2>/dev/null' EXIT
start_node $JAR $D $PORT ROWSTREAM_EMBEDDED_DB_PORT=$PGPORT ROWSTREAM_KAFKA_PORT=$KPORT || exit 1
export PGPASSWORD=$(cat $D/data/postgres.password) PGHOST=localhost PGPORT PGUSER=postgres PGDATABASE=postgres
create_topic $PORT '{"topic_name":"bench","partitions_count":8}' || exit 1
create_topic $PORT '{"topic_name":"latency","partitions_count":8,"configs":[{"name":"message.timestamp.type","value":"LogAppendTime"}]}' || exit 1
# The hand-written outbox: the same row rowstream.send stores (topic, partition, key, value,
# headers, timestamp), an identity key and an index on it, nothing else.
psql -q -c "create table bench_outbox (id bigint generated always as identity primary key, topic text not null,
  partition_id integer, key bytea, value bytea, headers jsonb, created_at timestamptz not null default clock_timestamp())"
VALUE="'\\x$(head -c 1024 /dev/urandom | od -An -v -tx1 | tr -d ' \n')'::bytea"
# The floor of any send function, for reference: a PL/pgSQL security definer function that only
# does the outbox's INSERT (what calling a function costs), and one that first finds the topic's
# row in a table (send_topic, by name) and inserts from it (the least a send that reads its topic
# from a table at every call costs; rowstream.send reads send_topic compiled into a constant
# instead). Same arguments as rowstream.send.
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
# Commit -> received: 1,000 single-record transactions a second over 8 connections, to a
# LogAppendTime topic, received by a Kafka consumer on the node's Kafka port, both in one process
# (SentRecordLatency) so that one clock times the send call, the return of its commit and the
# receipt; each run first sends 10 s on the same schedule, unmeasured (the node's JIT compiles the
# paths a trickle of single-record moves and the Kafka fetches at the log end take).
latency() { # name [PGOPTIONS]
  $J/java -cp $JAR io.rowstream.bench.SentRecordLatency jdbc:postgresql://localhost:$PGPORT/postgres \
    postgres "$PGPASSWORD" localhost:$KPORT latency 8 1000 $SECONDS_PER_RUN 10 8 "${2:-}" 2>$D/latency.err |
    while read -r line; do printf '%-22s %s\n' "$1" "$line"; done
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
# Before the latency runs: a checkpoint and the slots the send runs filled emptied (the nodes
# truncate them within about 30 s of their last rows moving).
psql -q -c "checkpoint" >/dev/null
for i in $(seq 1 60); do [ "$(psql -Atq -c "select count(*) < 50000 from rowstream.sent_record")" = t ] && break; sleep 1; done
# One run unreported first: on a node that has not run this load, the first run measured p99
# 32-83 ms where the same run after it measured 18-22; a checkpoint before a later run changed
# nothing (p99 11.8-12.2 after one, 2026-12-06), so it is the node warming up, not the database.
latency warm-up > /dev/null
latency latency-default
latency latency-no-notify "-c rowstream.send_notify=off"
