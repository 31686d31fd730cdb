-- Segments and their storage tables: create_chunk_storage, open_segment, roll_active_segment and
-- ensure_active_segment, here and nowhere else. This file is their one current definition; Flyway runs it after the
-- versioned migrations and again whenever it changes, so a change to any of them is made here,
-- never in a new versioned migration (migrations/README.md).
--
-- What they guarantee:
-- * A storage table per segment, attached without stalling the log. Each segment's chunks live in
--   rowstream_chunks.s<storage_id>, a partition of chunk. It is created as a plain table with a
--   CHECK constraint naming its storage id, then attached: ATTACH PARTITION takes SHARE UPDATE
--   EXCLUSIVE on chunk, which lets appends and reads go on, and the CHECK constraint spares it the
--   validating scan. Retention and compaction then drop a whole table instead of deleting rows.
-- * A segment exists only once something was appended to it. A new partition has no segment, and
--   so no table: its first append opens the active segment with its storage (append_chunks, under
--   the partition's row lock), and a roll by retention leaves the partition without an active
--   segment until the next append opens one at the log end. An empty partition costs its rows in
--   topic_partition (and replica_state), no relation. Every segment row names a storage that
--   exists, so readers walk segments as before: a partition without segments reads as empty.
-- * Segment rolls under the partition's row lock, as appends roll them (R__log_functions.sql).
--   roll_active_segment rolls only a non-empty active segment that no append reached since the
--   caller looked, so a record acknowledged meanwhile is never deleted before it expires.
--
-- All keep their signatures. To change one's arguments or result, drop the old signature here
-- first (drop function if exists name(old argument types)), then create the new one, so that the
-- file stays re-runnable on every database.

-- A storage for a segment's chunks.
create or replace function create_chunk_storage(p_topic_id bigint, p_partition_id integer, p_segment_base_offset bigint)
returns bigint
language plpgsql
set search_path = rowstream, pg_catalog
as $$
declare
    v_storage_id bigint;
    v_table      text;
begin
    insert into chunk_storage (topic_id, partition_id, segment_base_offset)
    values (p_topic_id, p_partition_id, p_segment_base_offset)
    returning storage_id into v_storage_id;
    v_table := format('rowstream_chunks.%I', 's' || v_storage_id);
    execute format('create table %s (like rowstream.chunk including defaults including constraints including storage)',
                   v_table);
    -- The CHECK constraint proves the partition bound, so ATTACH does not scan the table.
    execute format('alter table %s add constraint storage_id_is_%s check (storage_id = %s)',
                   v_table, v_storage_id, v_storage_id);
    execute format('alter table rowstream.chunk attach partition %s for values in (%s)', v_table, v_storage_id);
    return v_storage_id;
end
$$;
comment on function create_chunk_storage(bigint, integer, bigint) is
    'Creates a storage for a segment''s chunks: a chunk_storage row and the table rowstream_chunks.s<storage_id>, '
    'attached to chunk (SHARE UPDATE EXCLUSIVE on chunk: appends and reads go on). Returns the storage id.';

-- The active segment of a partition, opened with a storage of its own.
create or replace function open_segment(p_topic_id bigint, p_partition_id integer, p_base_offset bigint)
returns bigint
language plpgsql
set search_path = rowstream, pg_catalog
as $$
declare
    v_storage_id bigint;
begin
    v_storage_id := create_chunk_storage(p_topic_id, p_partition_id, p_base_offset);
    insert into segment (topic_id, partition_id, base_offset, next_offset, storage_id)
    values (p_topic_id, p_partition_id, p_base_offset, p_base_offset, v_storage_id);
    return v_storage_id;
end
$$;
comment on function open_segment(bigint, integer, bigint) is
    'Opens the active segment of a partition at p_base_offset, with a storage of its own; returns the storage id. '
    'The caller holds the partition''s row lock: append_chunks calls it at a partition''s first append, and at the '
    'first append after retention rolled the active segment.';

-- The roll log maintenance asks for before deleting an expired active segment (Kafka deletes the
-- active segment too once its newest record is older than retention.ms: it first rolls it). The log
-- end stays; retention then moves the log start up to it. No segment is opened in its place: the
-- next append opens one at the log end, with its storage, so a quiet partition whose records all
-- expired costs no table.
create or replace function roll_active_segment(p_topic_id bigint, p_partition_id integer, p_next_offset bigint)
returns boolean
language plpgsql
set search_path = rowstream, pg_catalog
as $$
begin
    perform 1 from topic_partition p
     where p.topic_id = p_topic_id and p.partition_id = p_partition_id
       for update;
    if not found then
        return false;  -- deleted with its topic
    end if;
    update segment s set rolled_at = now()
     where s.topic_id = p_topic_id and s.partition_id = p_partition_id and s.rolled_at is null
       and s.next_offset = p_next_offset and s.next_offset > s.base_offset;
    -- Not found: an append reached the segment (or rolled it) since the caller looked; keep it.
    return found;
end
$$;
comment on function roll_active_segment(bigint, integer, bigint) is
    'Rolls a partition''s active segment if it is non-empty and still ends at p_next_offset (no append reached '
    'it since the caller looked), leaving the partition without an active segment: its next append opens one at '
    'the log end. Takes the partition''s row lock, as appends do. Returns whether it rolled. Log maintenance calls '
    'it before deleting an expired active segment, as Kafka rolls one before deleting it.';

-- A partition's active segment, opened (with its table) if it has none, in the caller's own short
-- transaction. A request that appends to several partitions in one transaction calls it first for
-- each of them: were its appends to create the tables, the attach lock on chunk that the first one
-- takes (held until commit) could wait in a cycle with another partition's first append, which
-- holds its row and waits for that lock (a deadlock). Here the transaction holds one row lock and
-- waits at most 100 ms for the attach lock; false when it gave up (the append then opens the segment
-- itself) or the partition does not exist.
create or replace function ensure_active_segment(p_topic_id bigint, p_partition_id integer)
returns boolean
language plpgsql
set search_path = rowstream, pg_catalog
as $$
declare
    v_next         bigint;
    v_lock_timeout text := current_setting('lock_timeout');
begin
    select p.log_end_offset into v_next
      from topic_partition p
     where p.topic_id = p_topic_id and p.partition_id = p_partition_id
       for update;
    if not found then
        return false;
    end if;
    perform 1 from segment s
     where s.topic_id = p_topic_id and s.partition_id = p_partition_id and s.rolled_at is null;
    if found then
        return true;
    end if;
    begin
        perform set_config('lock_timeout', '100ms', true);
        perform open_segment(p_topic_id, p_partition_id, v_next);
    exception when lock_not_available then
        return false;  -- the subtransaction undid the storage and the setting
    end;
    perform set_config('lock_timeout', v_lock_timeout, true);
    return true;
end
$$;
comment on function ensure_active_segment(bigint, integer) is
    'Opens a partition''s active segment (and its table) at the log end unless it has one, under the partition''s '
    'row lock, waiting at most 100 ms for the attach lock on chunk. Returns whether the partition has an active '
    'segment now. Call it in a transaction of its own, before appending to several partitions in one transaction.';
