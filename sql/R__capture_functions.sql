-- Answers: how does a team get change-data capture of its own table with one call?
--
--   select rowstream.capture('public.orders', 'orders-cdc');   -- keyed by the primary key
--   select rowstream.uncapture('public.orders');               -- stops it (idempotent)
--
-- capture installs the trigger rowstream_capture (AFTER INSERT OR UPDATE OR DELETE, FOR EACH ROW)
-- on the table; capturing a table again replaces it (another topic or key). Each change is sent by
-- rowstream.send in the writing transaction, so it reaches the log exactly when that transaction
-- commits and never when it rolls back. The value is the JSON object
--   {"op": "c" | "u" | "d", "before": old row or null, "after": new row or null,
--    "table": "schema.table", "txid": pg_current_xact_id() as text, "ts": statement_timestamp()}
-- the key the JSON object of the key columns (its jsonb text, UTF-8: one key, one partition), and
-- the header rowstream.table names the table. An update that changes the key is sent as a delete
-- of the old key ("d", after null) then a create of the new ("c", before null), as Debezium does
-- (no tombstones). TRUNCATE is not captured (no row trigger fires).
--
-- Order: per key, changes appear in commit order. Changes of one key are serialized by the row
-- lock (or the unique index), and the log takes a partition's records by sender transaction id:
-- a transaction whose id is older than that of a change of the same key that committed and is
-- still waiting to be moved would land before it, so it is refused instead with SQLSTATE 40001
-- (serialization_failure: retry the transaction, as under REPEATABLE READ). This holds under READ
-- COMMITTED (PostgreSQL's default), where the check sees what committed meanwhile.
-- It needs key columns that identify a row (primary key or unique): changes of two rows sharing a
-- key, by overlapping transactions, may appear in either order.
--
-- Errors of capture (nothing is installed):
--   RSS01  unknown topic
--   RCA01  no key: the table has no primary key and no key_columns are given
--   RCA02  a key column that is not a column of the table (or an empty or null one)
--   RCA03  not a table (a view, a sequence, ...)
--   42501  the caller does not own the table, or lacks rowstream_sender
--
-- Privilege: capture and uncapture run with the caller's rights (they create and drop a trigger
-- on the caller's table: the table's owner, or a member of the owning role, granted
-- rowstream_sender). The trigger function runs as its owner, as send does: roles that write the
-- table need no grant of their own.

-- The topic capture will send to; RSS01 when there is none. As its owner: the caller may not
-- read rowstream.topic.
create or replace function capture_topic_check(topic text)
returns void
language plpgsql
stable
security definer
set search_path = rowstream, pg_catalog
as $$
#variable_conflict use_variable
begin
    if not exists (select 1 from rowstream.topic t where t.name = topic) then
        raise exception 'unknown topic: %', coalesce(quote_literal(topic), 'null')
            using errcode = 'RSS01', hint = 'Create the topic first (REST Proxy v3, Kafka CreateTopics).';
    end if;
end
$$;
comment on function capture_topic_check(text) is 'Raises RSS01 unless the topic exists (rowstream.capture''s check, as the schema''s owner).';

-- Sends one change of a captured table, refusing (40001) one that would land before a change of
-- the same key that committed after this transaction took its id.
create or replace function capture_send(topic text, source text, op text, before jsonb, after jsonb, key jsonb)
returns void
language plpgsql
security definer
set search_path = rowstream, pg_catalog
as $$
#variable_conflict use_variable
declare
    v_key        bytea := convert_to(key::text, 'UTF8');
    v_topic_id   bigint;
    v_partitions integer;
    v_partition  integer;
begin
    -- The key's partition, as send picks it (send raises RSS01 when the topic is gone); only rows
    -- of later sender transactions there (a range of sent_record's index) not yet moved can be
    -- overtaken.
    select t.topic_id, t.partition_count into v_topic_id, v_partitions
      from rowstream.topic t where t.name = topic;
    v_partition := kafka_partition_for_key(v_key, v_partitions);
    if exists (select 1 from rowstream.sent_record s
                left join rowstream.sent_progress g
                       on g.topic_id = s.topic_id and g.partition_id = s.partition_id
                where s.topic_id = v_topic_id and s.partition_id = v_partition
                  and s.sender_xid > pg_current_xact_id() and s.key = v_key
                  and not sent_record_moved(s.sender_xid, g.moved_snapshot, g.batch_snapshot, g.batch_xid)) then
        raise exception 'change of % key % would land before a change that committed after this transaction began', source, key
            using errcode = '40001', hint = 'Retry the transaction.';
    end if;
    perform rowstream.send(topic,
                           jsonb_build_object('op', op, 'before', before, 'after', after, 'table', source,
                                              'txid', pg_current_xact_id()::text, 'ts', statement_timestamp()),
                           v_key,
                           jsonb_build_object('rowstream.table', source));
end
$$;
comment on function capture_send(text, text, text, jsonb, jsonb, jsonb) is 'Sends one change of a captured table (rowstream.capture), keyed by the JSON of its key columns; 40001 when it would land before a change of the same key that committed later.';

-- The trigger rowstream.capture installs. Arguments: topic, schema-qualified table, key columns.
create or replace function capture_change()
returns trigger
language plpgsql
security definer
set search_path = rowstream, pg_catalog
as $$
declare
    v_topic   text := TG_ARGV[0];
    v_source  text := TG_ARGV[1];
    v_columns text[] := TG_ARGV[2:TG_NARGS - 1];
    v_before  jsonb;
    v_after   jsonb;
    v_old_key jsonb;
    v_new_key jsonb;
begin
    if TG_OP in ('UPDATE', 'DELETE') then
        v_before := to_jsonb(OLD);
        v_old_key := (select jsonb_object_agg(c, v_before -> c) from unnest(v_columns) c);
    end if;
    if TG_OP in ('INSERT', 'UPDATE') then
        v_after := to_jsonb(NEW);
        v_new_key := (select jsonb_object_agg(c, v_after -> c) from unnest(v_columns) c);
    end if;
    if TG_OP = 'INSERT' then
        perform capture_send(v_topic, v_source, 'c', null, v_after, v_new_key);
    elsif TG_OP = 'DELETE' then
        perform capture_send(v_topic, v_source, 'd', v_before, null, v_old_key);
    elsif v_old_key = v_new_key then
        perform capture_send(v_topic, v_source, 'u', v_before, v_after, v_new_key);
    else
        perform capture_send(v_topic, v_source, 'd', v_before, null, v_old_key);
        perform capture_send(v_topic, v_source, 'c', null, v_after, v_new_key);
    end if;
    return null;
end
$$;
comment on function capture_change() is 'The row trigger rowstream.capture installs: sends each insert (c), update (u; d then c when the key changes) and delete (d) with rowstream.send.';

-- Installs (or replaces) the capture trigger; answers the key columns it uses.
create or replace function capture(source regclass, topic text, key_columns text[] default null)
returns text[]
language plpgsql
set search_path = rowstream, pg_catalog
as $$
#variable_conflict use_variable
declare
    v_kind    "char";
    v_owner   oid;
    v_name    text;
    v_columns text[] := key_columns;
    v_missing text;
begin
    select c.relkind, c.relowner, quote_ident(n.nspname) || '.' || quote_ident(c.relname)
      into v_kind, v_owner, v_name
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.oid = source;
    if v_kind is null or v_kind not in ('r', 'p') then
        raise exception '% is not a table', coalesce(source::text, 'null')
            using errcode = 'RCA03';
    end if;
    if not pg_has_role(current_user, v_owner, 'USAGE') then
        raise exception 'must own table % to capture it', v_name
            using errcode = '42501';
    end if;
    perform capture_topic_check(topic);
    if v_columns is null then
        select array_agg(a.attname::text order by k.i)
          into v_columns
          from pg_index x
          cross join lateral unnest(x.indkey) with ordinality k(attnum, i)
          join pg_attribute a on a.attrelid = x.indrelid and a.attnum = k.attnum
         where x.indrelid = source and x.indisprimary;
        if v_columns is null then
            raise exception 'table % has no primary key: name the key columns', v_name
                using errcode = 'RCA01', hint = 'select rowstream.capture(''' || v_name || ''', topic, key_columns => array[''id'']);';
        end if;
    end if;
    if cardinality(v_columns) = 0 then
        raise exception 'key_columns is empty: name at least one column of %', v_name
            using errcode = 'RCA02';
    end if;
    select string_agg(coalesce(quote_literal(k), 'null'), ', ') into v_missing
      from unnest(v_columns) k
     where k is null or not exists (select 1 from pg_attribute a
                                     where a.attrelid = source and a.attname = k
                                       and a.attnum > 0 and not a.attisdropped);
    if v_missing is not null then
        raise exception 'not a column of %: %', v_name, v_missing
            using errcode = 'RCA02';
    end if;
    execute format('drop trigger if exists rowstream_capture on %s', v_name);
    execute format('create trigger rowstream_capture after insert or update or delete on %s'
                   ' for each row execute function rowstream.capture_change(%s)',
                   v_name,
                   (select string_agg(quote_literal(a), ', ' order by i)
                      from unnest(array[topic, v_name] || v_columns) with ordinality u(a, i)));
    return v_columns;
end
$$;
comment on function capture(regclass, text, text[]) is 'Captures a table: a row trigger sends every insert, update and delete as a JSON change (op, before, after, table, txid, ts) keyed by the key columns (default: the primary key) to the topic. SQLSTATE RSS01 unknown topic, RCA01 no primary key, RCA02 unknown key column, RCA03 not a table, 42501 not the owner. Execute: rowstream_sender.';

-- Removes the capture trigger; nothing when there is none.
create or replace function uncapture(source regclass)
returns void
language plpgsql
set search_path = rowstream, pg_catalog
as $$
begin
    execute format('drop trigger if exists rowstream_capture on %s', source);
end
$$;
comment on function uncapture(regclass) is 'Stops capturing a table (drops its rowstream_capture trigger); does nothing when it is not captured.';

revoke execute on function capture_topic_check(text) from public;
revoke execute on function capture_send(text, text, text, jsonb, jsonb, jsonb) from public;
revoke execute on function capture_change() from public;
revoke execute on function capture(regclass, text, text[]) from public;
revoke execute on function uncapture(regclass) from public;
do $$
begin
    if exists (select 1 from pg_roles where rolname = 'rowstream_sender') then
        execute 'grant execute on function rowstream.capture_topic_check(text) to rowstream_sender';
        execute 'grant execute on function rowstream.capture_change() to rowstream_sender';
        execute 'grant execute on function rowstream.capture(regclass, text, text[]) to rowstream_sender';
        execute 'grant execute on function rowstream.uncapture(regclass) to rowstream_sender';
    end if;
end
$$;
