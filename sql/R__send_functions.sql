-- Answers: how does an application send a record from SQL, inside its own transaction?
--
--   begin;
--   insert into orders ...;                                             -- the application's own write
--   select rowstream.send('orders', '{"id": 7}'::jsonb, key => convert_to('customer-7', 'UTF8'));
--   commit;                                                             -- the record exists from here
--
-- rowstream.send inserts one row into rowstream.sent_record and returns the partition the record
-- will take. It takes no lock on the log (no partition row, no advisory lock): senders never wait
-- for each other or for producers. The record is durable exactly when the caller's transaction
-- commits and vanishes when it rolls back (a rolled-back savepoint drops its sends too). A node
-- moves committed rows into the log (append_chunks, in the transaction that records in
-- sent_progress that they are moved, so each lands exactly once). While records keep coming, the nodes poll for them every few milliseconds
-- and say so in send_heat; a sending transaction whose first send finds no node polling notifies
-- channel rowstream_send at its commit (once), which wakes the nodes; a sweep every
-- 100 ms catches what both would miss (a transaction whose first send found the nodes polling and
-- that commits after they stopped). The notification is kept off the busy path on purpose: a transaction that
-- notified holds a cluster-wide lock from just before its commit until the commit is flushed, so
-- notifying commits take turns. A session (or a role: alter role app set rowstream.send_notify =
-- off) may turn it off altogether; its records are then moved by the polling or the sweep.
--
-- Order: a move takes a partition's rows of the sender transactions that finished since the last
-- move's snapshot, by sender transaction id (pg_current_xact_id()), then in call order; each mover
-- transaction takes whole sender transactions. So the records of one transaction to one partition
-- appear contiguously and in call order, and a record sent by a transaction that committed before
-- another began appears before that one's records (it finished in every snapshot the other one
-- finished in, and has the smaller id).
--
-- Partition: the one named; else, with a key, Kafka's default partitioner (murmur2 of the key
-- modulo the partition count, kafka_partition_for_key, exactly as Kafka clients, the REST Proxy
-- door and the Kafka door pick it); else one partition per sending transaction and topic (Kafka's
-- sticky partitioning, with the transaction as the batch): the transaction id modulo the partition
-- count, so consecutive transactions take consecutive partitions.
--
-- Headers: a JSON object of header name -> string (its UTF-8 bytes) or null (a header without a
-- value), e.g. '{"trace-id": "abc", "tombstone-reason": null}'. Names are unique and come out in
-- jsonb's key order (shorter names first, then bytewise).
--
-- Errors, raised at the call (the caller's transaction sees them; nothing is stored):
--   RSS01  unknown topic
--   RSS02  partition out of range (below 0 or not below the topic's partition count)
--   RSS03  record too large: the record as a one-record Kafka v2 batch is over the topic's
--          max.message.bytes (else the cluster's message.max.bytes, else 1048588)
--   RSS04  malformed headers (not a JSON object of name -> string or null)
--   RSS05  invalid record: no key on a compacted topic, a timestamp before 1970, or (on a
--          CreateTime topic) a timestamp outside message.timestamp.before.max.ms /
--          message.timestamp.after.max.ms around the database's clock
--   42501  the caller may not execute rowstream.send (grant rowstream_sender to it)
--
-- Privilege: send runs as its owner (security definer; every name in it schema-qualified, see
-- below) and PUBLIC may not execute it or its overloads; a role may once it is granted rowstream_sender:
--   grant rowstream_sender to app;
-- rowstream_sender may execute send (all three) and nothing else of the schema.

-- Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2) of bytes, as a signed 32-bit
-- integer: 32-bit arithmetic done in bigint and masked. Its search_path is pinned: rowstream.send
-- calls it as send's owner, under the caller's search_path.
create or replace function kafka_murmur2(data bytea)
returns integer
language plpgsql
immutable strict parallel safe
set search_path = pg_catalog
as $$
declare
    m    constant bigint := 1540483477;   -- 0x5bd1e995
    mask constant bigint := 4294967295;   -- 2^32 - 1
    len  constant integer := length(data);
    h    bigint := (2538058380 # len) & mask;  -- seed 0x9747b28c xor length
    k    bigint;
    i    integer := 0;
begin
    while i + 4 <= len loop
        k := get_byte(data, i)::bigint | (get_byte(data, i + 1)::bigint << 8)
             | (get_byte(data, i + 2)::bigint << 16) | (get_byte(data, i + 3)::bigint << 24);
        k := (k * m) & mask;
        k := k # (k >> 24);
        k := (k * m) & mask;
        h := ((h * m) & mask) # k;
        i := i + 4;
    end loop;
    if len - i = 3 then
        h := h # (get_byte(data, i + 2)::bigint << 16);
    end if;
    if len - i >= 2 then
        h := h # (get_byte(data, i + 1)::bigint << 8);
    end if;
    if len - i >= 1 then
        h := ((h # get_byte(data, i)::bigint) * m) & mask;
    end if;
    h := h # (h >> 13);
    h := (h * m) & mask;
    h := h # (h >> 15);
    return (case when h >= 2147483648 then h - 4294967296 else h end)::integer;
end
$$;

comment on function kafka_murmur2(bytea) is 'Kafka''s murmur2 hash of bytes (Utils.murmur2), as a signed 32-bit integer.';

-- The partition Kafka's default partitioner gives a key: toPositive(murmur2(key)) % partitions.
create or replace function kafka_partition_for_key(key bytea, partitions integer)
returns integer
language sql
immutable strict parallel safe
return (kafka_murmur2(key) & 2147483647) % partitions;

comment on function kafka_partition_for_key(bytea, integer) is 'The partition Kafka''s default partitioner gives a key among that many partitions: toPositive(murmur2(key)) % partitions.';

-- Bytes of Kafka's unsigned varint holding zig-zag value z (z >= 0).
create or replace function kafka_varint_size(z bigint)
returns integer
language sql
immutable strict parallel safe
return case when z < 128 then 1 when z < 16384 then 2 when z < 2097152 then 3
            when z < 268435456 then 4 else 5 end;

comment on function kafka_varint_size(bigint) is 'Bytes of Kafka''s varint holding a zig-zag encoded value (a size n is encoded as 2n).';

-- The size of one record as a Kafka v2 batch of its own, uncompressed: the 61-byte batch header
-- and the record (log.RecordBatchWriter.sizeOf, which the other doors check max.message.bytes
-- with). Headers as rowstream.send takes them.
create or replace function kafka_record_batch_size(key bytea, value bytea, headers jsonb)
returns bigint
language plpgsql
immutable parallel safe
as $$
declare
    body bigint := 3;  -- attributes, timestamp delta 0, offset delta 0
    n    integer := 0;
    h    record;
begin
    -- Names schema-qualified rather than a pinned search_path: this runs once per send.
    body := body + coalesce(rowstream.kafka_varint_size(2 * length(key)) + length(key), 1)
                 + coalesce(rowstream.kafka_varint_size(2 * length(value)) + length(value), 1);
    if headers is not null then
        for h in select e.key as name, e.value as v from jsonb_each(headers) e loop
            n := n + 1;
            body := body + rowstream.kafka_varint_size(2 * octet_length(h.name)) + octet_length(h.name)
                         + case when jsonb_typeof(h.v) = 'null' then 1
                                else rowstream.kafka_varint_size(2 * octet_length(h.v #>> '{}')) + octet_length(h.v #>> '{}') end;
        end loop;
    end if;
    body := body + rowstream.kafka_varint_size(2 * n);
    return 61 + rowstream.kafka_varint_size(2 * body) + body;
end
$$;
comment on function kafka_record_batch_size(bytea, bytea, jsonb) is 'Bytes of one record as an uncompressed Kafka v2 batch of its own (what max.message.bytes is checked against); headers as rowstream.send takes them.';

-- The slot (partition of sent_record) a send at this time writes into: ten seconds each, in turn.
-- send passes its transaction's start time, so a transaction writes into one slot; the slot after
-- the current one is the one a node empties (TRUNCATE) once all of its rows are moved.
-- Stable, as date_part(text, timestamptz) is: declared immutable it would not be inlined, and a
-- SQL function called rather than inlined costs send about twice as much. The epoch in double
-- precision (date_part) rather than numeric (extract): numeric division and floor cost each send
-- about 3 µs.
create or replace function sent_record_slot(at timestamptz)
returns smallint
language sql
stable strict parallel safe
return (pg_catalog.floor(pg_catalog.date_part('epoch', at) operator(pg_catalog./) 10)::bigint
        operator(pg_catalog.%) 3)::smallint;

comment on function sent_record_slot(timestamptz) is 'The slot of sent_record (0..2) that rowstream.send writes into at this time: ten seconds each, in turn.';

-- Whether a partition's sent records of sender transaction xid have been moved into the log, by
-- its sent_progress row (null columns: no row, nothing moved): the transaction had finished in the
-- last move's snapshot, or it is one of a batch under way moved up to batch_xid.
create or replace function sent_record_moved(xid xid8, moved_snapshot pg_snapshot,
                                             batch_snapshot pg_snapshot, batch_xid xid8)
returns boolean
language sql
immutable parallel safe
return coalesce(pg_catalog.pg_visible_in_snapshot(xid, moved_snapshot)
                or (xid operator(pg_catalog.<=) batch_xid and pg_catalog.pg_visible_in_snapshot(xid, batch_snapshot)),
                false);

comment on function sent_record_moved(xid8, pg_snapshot, pg_snapshot, xid8) is 'Whether sent records of sender transaction xid were moved, given their partition''s sent_progress columns (all null: nothing moved yet).';

-- A numeric config's value as a number, or null when it is not one the broker would have written
-- (digits, surrounding spaces allowed, at most max_value): a default written into cluster_config by
-- hand with an illegal value is ignored, as the other doors ignore it (topic.ClusterDefaults),
-- rather than failing every send or every change of a topic.
create or replace function config_number(value text, max_value bigint)
returns bigint
language sql
immutable parallel safe
return case when pg_catalog.btrim(value) operator(pg_catalog.~) '^[0-9]{1,19}$'
            then case when pg_catalog.btrim(value)::numeric operator(pg_catalog.<=) max_value
                      then pg_catalog.btrim(value)::bigint end end;

comment on function config_number(text, bigint) is 'A numeric config value as a number, or null when it is not digits up to max_value (a hand-written illegal value: ignored).';

-- A topic's effective max.message.bytes: its own config, else the cluster's message.max.bytes,
-- else Kafka's 1048588 (an illegal value counts as unset). send_check and send_topic_refresh both
-- take it from here, so that send's quick test and its full check agree.
create or replace function effective_max_message_bytes(topic_value text, cluster_value text)
returns bigint
language sql
immutable parallel safe
return coalesce(rowstream.config_number(topic_value, 2147483647),
                rowstream.config_number(cluster_value, 2147483647), 1048588);

comment on function effective_max_message_bytes(text, text) is 'A topic''s effective max.message.bytes from its own config and the cluster''s message.max.bytes (either null or illegal: the next), else 1048588.';

-- Every check send makes, with its SQLSTATE and message: raises what is wrong with the record, and
-- returns when nothing is. send calls it only for a record its quick test finds suspect (one naming
-- a partition out of range, with headers or a timestamp, without a key on a compacted topic, that
-- may be over max.message.bytes, or to an unknown topic).
create or replace function send_check(
    topic       text,
    value       bytea,
    key         bytea,
    headers     jsonb,
    "partition" integer,
    "timestamp" timestamptz)
returns void
language plpgsql
stable
set search_path = rowstream, pg_catalog
as $$
#variable_conflict use_variable
declare
    v_partitions integer;
    v_max_bytes  bigint;
    v_policy     text;
    v_type       text;
    v_before_max bigint;
    v_after_max  bigint;
    v_behind     bigint;
    v_size       bigint;
begin
    -- Each config: the topic's own, else the cluster's default (cluster_config), else Kafka's.
    select t.partition_count,
           effective_max_message_bytes(t.configs ->> 'max.message.bytes', d.max_bytes),
           coalesce(t.configs ->> 'cleanup.policy', d.policy, 'delete'),
           coalesce(t.configs ->> 'message.timestamp.type', d.ts_type, 'CreateTime'),
           coalesce(config_number(t.configs ->> 'message.timestamp.before.max.ms', 9223372036854775807),
                    config_number(d.before_max, 9223372036854775807), 9223372036854775807),
           coalesce(config_number(t.configs ->> 'message.timestamp.after.max.ms', 9223372036854775807),
                    config_number(d.after_max, 9223372036854775807), 3600000)
      into v_partitions, v_max_bytes, v_policy, v_type, v_before_max, v_after_max
      from rowstream.topic t
      left join lateral (
          select max(c.value) filter (where c.name = 'message.max.bytes') as max_bytes,
                 max(c.value) filter (where c.name = 'log.cleanup.policy') as policy,
                 max(c.value) filter (where c.name = 'log.message.timestamp.type') as ts_type,
                 max(c.value) filter (where c.name = 'log.message.timestamp.before.max.ms') as before_max,
                 max(c.value) filter (where c.name = 'log.message.timestamp.after.max.ms') as after_max
            from rowstream.cluster_config c) d on true
     where t.name = topic;
    if not found then
        raise exception 'unknown topic: %', coalesce(quote_literal(topic), 'null')
            using errcode = 'RSS01', hint = 'Create the topic first (REST Proxy v3, Kafka CreateTopics).';
    end if;
    if "partition" < 0 or "partition" >= v_partitions then
        raise exception 'partition % out of range: topic % has partitions 0 to %', "partition", topic, v_partitions - 1
            using errcode = 'RSS02';
    end if;
    if jsonb_typeof(headers) <> 'object'
            or exists (select 1 from jsonb_each(headers) e where jsonb_typeof(e.value) not in ('string', 'null')) then
        raise exception 'malformed headers: expected a JSON object of header name -> string or null, got %', left(headers::text, 200)
            using errcode = 'RSS04';
    end if;
    if key is null and v_policy like '%compact%' then
        raise exception 'a record without a key cannot go to compacted topic % (cleanup.policy=%)', topic, v_policy
            using errcode = 'RSS05';
    end if;
    if "timestamp" < 'epoch'::timestamptz then
        raise exception 'timestamp % is before 1970: Kafka timestamps are not negative', "timestamp"
            using errcode = 'RSS05';
    end if;
    -- The window a CreateTime topic accepts around now (KIP-937, as the other doors check it
    -- against the node's clock; here the database's clock at the send).
    if "timestamp" is not null and v_type = 'CreateTime' then
        v_behind := floor(extract(epoch from clock_timestamp() - "timestamp") * 1000)::bigint;
        if v_behind > v_before_max then
            raise exception 'timestamp % is % ms before the database''s time: out of range for the topic''s message.timestamp.before.max.ms=%', "timestamp", v_behind, v_before_max
                using errcode = 'RSS05';
        end if;
        if -v_behind > v_after_max then
            raise exception 'timestamp % is % ms after the database''s time: out of range for the topic''s message.timestamp.after.max.ms=%', "timestamp", -v_behind, v_after_max
                using errcode = 'RSS05';
        end if;
    end if;
    v_size := kafka_record_batch_size(key, value, headers);
    if v_size > v_max_bytes then
        raise exception 'record too large: % bytes as a batch, over max.message.bytes % of topic %', v_size, v_max_bytes, topic
            using errcode = 'RSS03';
    end if;
end
$$;

comment on function send_check(text, bytea, bytea, jsonb, integer, timestamptz) is 'Every check of rowstream.send, raising its SQLSTATE (RSS01..RSS05) and message, or returning when the record is fine; send calls it for records its quick test finds suspect.';
revoke execute on function send_check(text, bytea, bytea, jsonb, integer, timestamptz) from public;

-- send_topic (migrations/V37__send_topic.sql): what send tests a record against, per topic. It is
-- kept by the triggers below in the transaction that creates, alters or deletes a topic (the
-- foreign key takes a deleted topic's row) or changes the cluster's defaults, and refreshed whole
-- when this file runs. The rule is the one send_check applies: the topic's own config, else the
-- cluster's default, else Kafka's.
--
-- Concurrency (the nodes change topics and defaults in read committed transactions): a refresh of
-- every topic (the defaults changed) first locks send_topic in share row exclusive mode, which
-- waits for the transactions that wrote a topic's row and keeps others from writing one until it
-- commits; a topic's refresh first locks it in row exclusive mode. Either then reads in a new
-- statement, so in a snapshot taken after the other committed: a topic created while the defaults
-- change gets the new defaults, whichever transaction locks first.
create or replace function send_topic_refresh(only_topic bigint)
returns void
language plpgsql
set search_path = rowstream, pg_catalog
as $$
begin
    if only_topic is null then
        lock table send_topic in share row exclusive mode;
    else
        lock table send_topic in row exclusive mode;
    end if;
    insert into send_topic (name, topic_id, partition_count, unchecked_bytes, keyless)
    select t.name, t.topic_id, t.partition_count,
           effective_max_message_bytes(t.configs ->> 'max.message.bytes', d.max_bytes) - 80,
           coalesce(t.configs ->> 'cleanup.policy', d.policy, 'delete') not like '%compact%'
      from topic t
      cross join (select max(c.value) filter (where c.name = 'message.max.bytes') as max_bytes,
                         max(c.value) filter (where c.name = 'log.cleanup.policy') as policy
                    from cluster_config c) d
     where only_topic is null or t.topic_id = only_topic
    on conflict (topic_id) do update
       set name = excluded.name, partition_count = excluded.partition_count,
           unchecked_bytes = excluded.unchecked_bytes, keyless = excluded.keyless
     where (send_topic.name, send_topic.partition_count, send_topic.unchecked_bytes, send_topic.keyless)
           is distinct from (excluded.name, excluded.partition_count, excluded.unchecked_bytes, excluded.keyless);
end
$$;

comment on function send_topic_refresh(bigint) is 'Writes send_topic''s row of a topic (all topics when null) from topic and cluster_config.';
revoke execute on function send_topic_refresh(bigint) from public;

-- The triggers run as their owner, as send_topic_compile_follow does (below): a role that may
-- write a topic or a cluster default need not be allowed send_topic or its refresh.
create or replace function send_topic_follow_topic()
returns trigger
language plpgsql
security definer
set search_path = rowstream, pg_catalog
as $$
begin
    perform send_topic_refresh(new.topic_id);
    return null;
end
$$;

comment on function send_topic_follow_topic() is 'Trigger on topic: refreshes the created or altered topic''s send_topic row.';
revoke execute on function send_topic_follow_topic() from public;

create or replace function send_topic_follow_defaults()
returns trigger
language plpgsql
security definer
set search_path = rowstream, pg_catalog
as $$
begin
    perform send_topic_refresh(null);
    return null;
end
$$;

comment on function send_topic_follow_defaults() is 'Trigger on cluster_config: refreshes every topic''s send_topic row.';
revoke execute on function send_topic_follow_defaults() from public;

create or replace trigger send_topic_follows_topic
    after insert or update of name, partition_count, configs on topic
    for each row execute function send_topic_follow_topic();
create or replace trigger send_topic_follows_defaults
    after insert or update or delete or truncate on cluster_config
    for each statement execute function send_topic_follow_defaults();

-- send_topic compiled into one constant (migrations/V39): rowstream.send_topic_compiled() returns
-- send_topic's rows as jsonb, topic name -> [topic_id, partition_count, unchecked_bytes, keyless].
-- It is a SQL function whose body is that constant, so PostgreSQL inlines it into send's plans
-- and plans them again once it is replaced: a session sees a replaced map from its next
-- transaction (or sooner: when it next locks a table for the first time in its transaction). send
-- thus finds its topic without reading a table; reading send_topic's row was an executor run of
-- its own in every call, 70.4-74.2 against 63.4-65.8 µs of backend CPU a send with 100 sends a
-- transaction (8 connections, node stopped, /proc, 2026-12-06). Each session that sends holds the
-- map in its plans: tens of bytes a topic.
--
-- send_topic_compile writes it, in the transaction that changes send_topic (a statement trigger),
-- and only when the map differs from the one last compiled. It locks send_topic_compiled's row
-- first, so writers take turns: in read committed, the statement after the lock reads send_topic
-- after the writer before it committed; in repeatable read, a writer whose snapshot is older than
-- another's commit fails (40001) rather than compile a map without the other's change. Two
-- writers replacing the function at once would fail the later one ("tuple concurrently updated").
-- It writes the body unchecked (check_function_bodies off): a literal quoted by format, which a
-- check would only parse again.

-- Its shape; send_topic_compile, below, writes it with the current map in place of this empty one.
-- A body in a string, not a SQL-standard one: writing a standard body stores its parse tree, about
-- three times the map's text, and took 23 against 9 ms with 2,222 topics (2026-12-06). Its one
-- name is schema-qualified, as in send: it is parsed where send inlines it, under the caller's
-- search_path.
create or replace function send_topic_compiled()
returns jsonb
language sql
stable parallel safe
as $$select '{}'::pg_catalog.jsonb$$;

create or replace function send_topic_compile()
returns void
language plpgsql
set search_path = rowstream, pg_catalog
set check_function_bodies = off
as $$
declare
    v_compiled jsonb;
    v_topics   jsonb;
begin
    select c.topics into v_compiled from send_topic_compiled c for update;
    select coalesce(jsonb_object_agg(t.name, jsonb_build_array(t.topic_id, t.partition_count,
                                                               t.unchecked_bytes, t.keyless)),
                    '{}')
      into v_topics
      from send_topic t;
    if v_topics is distinct from v_compiled then
        execute format('create or replace function rowstream.send_topic_compiled() returns jsonb'
                       ' language sql stable parallel safe as %L',
                       format('select %L::pg_catalog.jsonb', v_topics));
        update send_topic_compiled set topics = v_topics, compiled_at = now();
    end if;
end
$$;

comment on function send_topic_compile() is 'Compiles send_topic into rowstream.send_topic_compiled() when it changed since the last compile (send_topic_compiled), writers taking turns on that row.';
revoke execute on function send_topic_compile() from public;

-- Runs as its owner: replacing a function takes its owner, and a role that may write a topic or
-- a cluster default need not be one (nor be allowed send_topic_compiled).
create or replace function send_topic_compile_follow()
returns trigger
language plpgsql
security definer
set search_path = rowstream, pg_catalog
as $$
begin
    perform send_topic_compile();
    return null;
end
$$;

comment on function send_topic_compile_follow() is 'Trigger on send_topic: compiles it again (send_topic_compile).';
revoke execute on function send_topic_compile_follow() from public;

create or replace trigger send_topic_compiles
    after insert or update or delete or truncate on send_topic
    for each statement execute function send_topic_compile_follow();

-- Compiled again in full, the function having just been written empty: the refresh's statement
-- fires send_topic_compiles.
update send_topic_compiled set topics = null, compiled_at = null;
select send_topic_refresh(null);
revoke execute on function send_topic_compiled() from public;
comment on function send_topic_compiled() is 'send_topic''s rows as one constant, topic name -> [topic_id, partition_count, unchecked_bytes, keyless], which rowstream.send reads: written by send_topic_compile() whenever send_topic changes; do not write it by hand.';

-- An older version's send_wake, which send called once per transaction: send does its work itself.
drop function if exists send_wake();

-- Sends one record to a topic in the caller's transaction; answers the partition it will take.
-- Its cost is the application's, so its usual path is one statement, an insert of variables and
-- arguments with its plan kept for the session. The topic comes from send_topic compiled into a
-- constant (send_topic_compiled, above), not from a read of a table; it, the quick test, the
-- partition and the slot are PL/pgSQL expressions, set up once per transaction and cheap to
-- evaluate. (When the insert read the topic's row itself and held the test, its partition and its
-- slot, PostgreSQL set up each of those expressions again at every call: 78.4 against 71.5-72.2 µs
-- of backend CPU a record with 100 sends a transaction, 135 against 130-132 with one,
-- 8 connections, /proc, 2026-12-06.) The quick test compares plain values: a partition in range,
-- no headers, no timestamp (those are checked against 1970 and the topic's
-- message.timestamp.*.max.ms window), a key unless the topic compacts, and a key and value within
-- unchecked_bytes. A suspect record, or one to a topic not in the compiled map, goes to
-- send_check, which raises what is wrong; when nothing is, the record is inserted with its headers
-- and timestamp.
-- A topic changed while a transaction runs may reach its sends only in its next transaction: until
-- then they may see the topic as it was when the transaction began, as under repeatable read (a
-- new partition count, config or deletion; a send to a topic deleted meanwhile is then accepted and
-- never moved, as one just before the deletion is). A topic created meanwhile is found in
-- send_topic.
-- The effective configs are worked out ahead in send_topic: reading the cluster's defaults in
-- every call (two aggregates over cluster_config) cost about a fifth of a send, 92 against 73 µs
-- of backend CPU a call (perf and /proc, 100 sends a transaction, 2026-12-05).
-- The first send of a transaction marks it with the transaction-local setting
-- rowstream.send_woken and asks whether to wake the nodes at its commit: it notifies channel
-- rowstream_send unless the session turned the notification off (rowstream.send_notify = off) or
-- a node polls for sent records (send_heat); the others do not ask again. A session that sets
-- rowstream.send_woken itself only turns its notification off, as rowstream.send_notify does. Both
-- settings are read through simple expressions (assignments and conditions without a query, which
-- PL/pgSQL evaluates without an executor run), and send_heat only when the notification is on:
-- single-record transactions with the notification off cost their backend 138-148 against
-- 158-159 µs a record (8 connections, /proc, 2026-12-06), when this was a function of its own
-- (send_wake) called through PERFORM, which ran a statement for the call, one for the setting and
-- one for the test of both.
--
-- It runs as its owner without a pinned search_path (pinning one costs each call about 5 µs, a
-- sixth of what the call costs, measured 2026-12-05): instead every name in its body is
-- schema-qualified, operators too (operator(pg_catalog.=)), so that nothing the caller's
-- search_path puts first runs as the owner. The functions it calls are bound when they are
-- created (sent_record_slot and kafka_partition_for_key: SQL-standard bodies), pin their own
-- search_path (kafka_murmur2, for a keyed record; send_check, for a suspect one).
create or replace function send(
    topic       text,
    value       bytea,
    key         bytea       default null,
    headers     jsonb       default null,
    "partition" integer     default null,
    "timestamp" timestamptz default null)
returns integer
language plpgsql
security definer
as $$
#variable_conflict use_variable
declare
    v_topic      jsonb;
    v_topic_id   bigint;
    v_partitions integer;
    v_suspect    boolean;
    v_partition  integer;
    v_slot       smallint;
    v_setting    text;
begin
    v_topic := rowstream.send_topic_compiled() operator(pg_catalog.->) topic;
    v_topic_id := (v_topic operator(pg_catalog.->>) 0)::bigint;
    v_partitions := (v_topic operator(pg_catalog.->>) 1)::integer;
    v_suspect := v_topic is null
       or headers is not null
       or "timestamp" is not null
       or ("partition" is not null
           and ("partition" operator(pg_catalog.<) 0 or "partition" operator(pg_catalog.>=) v_partitions))
       or (key is null and not (v_topic operator(pg_catalog.->>) 3)::boolean)
       or coalesce(pg_catalog.octet_length(key), 0) operator(pg_catalog.+) coalesce(pg_catalog.octet_length(value), 0)
          operator(pg_catalog.>) (v_topic operator(pg_catalog.->>) 2)::bigint;
    if v_suspect then
        -- Raises what is wrong; when nothing is, the record goes in with its headers and timestamp.
        -- Not in the compiled map, yet a topic: one this session has not seen compiled yet
        -- (created after it last planned send), read from send_topic; no row there is a bug.
        perform rowstream.send_check(topic, value, key, headers, "partition", "timestamp");
        if v_topic_id is null then
            select t.topic_id, t.partition_count into v_topic_id, v_partitions
              from rowstream.send_topic t
             where t.name operator(pg_catalog.=) topic;
            if not found then
                raise exception 'topic % has no send_topic row', topic using errcode = 'XX000';
            end if;
        end if;
    end if;
    v_partition := coalesce("partition", rowstream.kafka_partition_for_key(key, v_partitions),
                            (pg_catalog.txid_current() operator(pg_catalog.%) v_partitions)::integer);
    v_slot := rowstream.sent_record_slot(pg_catalog.now());
    if v_suspect then
        insert into rowstream.sent_record (slot, topic_id, partition_id, key, value, headers, timestamp_ms)
        values (v_slot, v_topic_id, v_partition, key, value, headers,
                -- null: the time of the send (sent_record.sent_at), which the move converts
                case when "timestamp" is not null
                     then pg_catalog.floor(extract(epoch from "timestamp") operator(pg_catalog.*) 1000)::bigint end);
    else
        insert into rowstream.sent_record (slot, topic_id, partition_id, key, value)
        values (v_slot, v_topic_id, v_partition, key, value);
    end if;
    if coalesce(pg_catalog.current_setting('rowstream.send_woken', true), '') operator(pg_catalog.<>) 'on' then
        v_setting := pg_catalog.set_config('rowstream.send_woken', 'on', true);
        if coalesce(pg_catalog.current_setting('rowstream.send_notify', true), '') operator(pg_catalog.<>) 'off' then
            if not coalesce((select h.hot_until operator(pg_catalog.>) pg_catalog.now() from rowstream.send_heat h), false) then
                perform pg_catalog.pg_notify('rowstream_send', '');
            end if;
        end if;
    end if;
    return v_partition;
end
$$;

-- The same with a text value (its UTF-8 bytes) or a jsonb value (its text, UTF-8): SQL-standard
-- bodies, bound when created, so inlined into the caller's query.
create or replace function send(
    topic       text,
    value       text,
    key         bytea       default null,
    headers     jsonb       default null,
    "partition" integer     default null,
    "timestamp" timestamptz default null)
returns integer
language sql
return rowstream.send(topic, pg_catalog.convert_to(value, 'UTF8'), key, headers, "partition", "timestamp");

create or replace function send(
    topic       text,
    value       jsonb,
    key         bytea       default null,
    headers     jsonb       default null,
    "partition" integer     default null,
    "timestamp" timestamptz default null)
returns integer
language sql
return rowstream.send(topic, pg_catalog.convert_to(value::text, 'UTF8'), key, headers, "partition", "timestamp");

comment on function send(text, bytea, bytea, jsonb, integer, timestamptz) is 'Sends a record to a topic in the caller''s transaction (durable at its commit, gone at its rollback) and answers its partition: the one given, else murmur2 of the key, else one per transaction. SQLSTATE RSS01 unknown topic, RSS02 partition out of range, RSS03 over max.message.bytes, RSS04 malformed headers, RSS05 invalid record. Execute: rowstream_sender.';
comment on function send(text, text, bytea, jsonb, integer, timestamptz) is 'rowstream.send with a text value (sent as its UTF-8 bytes).';
comment on function send(text, jsonb, bytea, jsonb, integer, timestamptz) is 'rowstream.send with a jsonb value (sent as its text, UTF-8).';

revoke execute on function send(text, bytea, bytea, jsonb, integer, timestamptz) from public;
revoke execute on function send(text, text, bytea, jsonb, integer, timestamptz) from public;
revoke execute on function send(text, jsonb, bytea, jsonb, integer, timestamptz) from public;
do $$
begin
    if exists (select 1 from pg_roles where rolname = 'rowstream_sender') then
        execute 'grant usage on schema rowstream to rowstream_sender';
        execute 'grant execute on function rowstream.send(text, bytea, bytea, jsonb, integer, timestamptz) to rowstream_sender';
        execute 'grant execute on function rowstream.send(text, text, bytea, jsonb, integer, timestamptz) to rowstream_sender';
        execute 'grant execute on function rowstream.send(text, jsonb, bytea, jsonb, integer, timestamptz) to rowstream_sender';
    end if;
end
$$;
