-- Chunk storage partitioned by segment, so that retention deletes a segment by dropping a table.
--
-- Until now every chunk of every partition lived in one table, and deleting a segment would have
-- been a DELETE of its rows: each one a dead tuple (and, for batches over ~2 kB, a run of dead
-- TOAST tuples) for autovacuum to find, while the stream keeps inserting. Under a steady stream the
-- table and its TOAST table then grow to whatever autovacuum lets them, not to what is retained.
--
-- Now `chunk` is a declaratively partitioned table, LIST-partitioned by `storage_id`: each segment's
-- chunks are a table of their own in schema rowstream_chunks (named s<storage_id>). Retention first
-- moves the partition's log start past the segment and deletes the segment row (one transaction,
-- a few tuples), then detaches its table with DETACH PARTITION CONCURRENTLY and drops it: the
-- space goes back to the file system at once and no dead tuple is left behind. Compaction writes a
-- segment's kept records into a new storage and points the segment at it in one transaction.
--
-- Locks, because appends and fetches must not wait on maintenance:
-- * a storage is created as a plain table (CREATE TABLE ... LIKE) with a CHECK constraint naming its
--   storage id, then ATTACHed: ATTACH PARTITION takes SHARE UPDATE EXCLUSIVE on `chunk`, which does
--   not conflict with inserts (ROW EXCLUSIVE) or reads (ACCESS SHARE), and the CHECK constraint
--   spares it the validating scan. (CREATE TABLE ... PARTITION OF would take ACCESS EXCLUSIVE on
--   `chunk` and stall every append and fetch in the database while it runs.)
-- * DETACH ... CONCURRENTLY takes SHARE UPDATE EXCLUSIVE too, and waits for the queries that may
--   still read the storage; a plain DETACH or a DROP of an attached partition would take ACCESS
--   EXCLUSIVE on `chunk`.
-- * chunk no longer has a foreign key to topic_partition: attaching a partition of a table with a
--   foreign key locks the referenced table in SHARE ROW EXCLUSIVE mode, which waits for (and blocks)
--   every append's update of topic_partition. Segments keep theirs; a chunk belongs to a segment's
--   storage, and a storage no segment points to is dropped by maintenance.

create schema if not exists rowstream_chunks;
comment on schema rowstream_chunks is 'One table per segment storage (s<storage_id>), each a partition of rowstream.chunk. Query rowstream.chunk, not these.';

create table chunk_storage (
    storage_id          bigint      generated always as identity primary key,
    topic_id            bigint      not null,
    partition_id        integer     not null,
    segment_base_offset bigint      not null,
    created_at          timestamptz not null default now()
);
comment on table chunk_storage is 'A row per physical table of chunks (rowstream_chunks.s<storage_id>, a partition of chunk). A storage that no segment points to (its segment deleted by retention or with its topic, or replaced by compaction) is detached and dropped by maintenance.';
comment on column chunk_storage.storage_id is 'Identity of the storage; its table is rowstream_chunks.s<storage_id> and its chunks have chunk.storage_id = storage_id.';
comment on column chunk_storage.topic_id is 'Topic whose chunks it holds (no foreign key: the storage outlives a deleted topic until maintenance drops it).';
comment on column chunk_storage.partition_id is 'Partition whose chunks it holds.';
comment on column chunk_storage.segment_base_offset is 'Base offset of the segment it was created for.';
comment on column chunk_storage.created_at is 'When the storage table was created.';

alter table segment add column storage_id bigint references chunk_storage (storage_id);
comment on column segment.storage_id is 'The storage holding the segment''s chunks (chunk.storage_id); compaction points it at a rewritten storage.';

-- The new chunk table, and the rows of the old one moved into a storage per segment.
drop view if exists chunk_overview;
alter table chunk rename to chunk_unpartitioned;

create table chunk (
    storage_id          bigint      not null,
    topic_id            bigint      not null,
    partition_id        integer     not null,
    base_offset         bigint      not null check (base_offset >= 0),
    last_offset         bigint      not null,
    segment_base_offset bigint      not null,
    record_count        integer     not null check (record_count > 0),
    min_timestamp_ms    bigint      not null,
    max_timestamp_ms    bigint      not null,
    size_bytes          integer     not null,
    batch               bytea       not null,
    appended_at         timestamptz not null default now(),
    primary key (storage_id, base_offset),
    check (last_offset >= base_offset)
) partition by list (storage_id);
-- Batches are already compact binary (and often client-compressed); TOAST compression would spend
-- CPU on every append for little gain, so large batches are stored out of line uncompressed.
alter table chunk alter column batch set storage external;

comment on table chunk is 'A row per appended record batch: offsets base_offset..last_offset of a partition, in one Kafka v2 record batch. Partitioned by storage_id, one storage (table) per segment. Offsets inside a batch of a compacted topic may have gaps.';
comment on column chunk.storage_id is 'The segment storage holding the chunk (segment.storage_id); the partitioning key.';
comment on column chunk.topic_id is 'Topic of the partition.';
comment on column chunk.partition_id is 'Partition the batch was appended to.';
comment on column chunk.base_offset is 'Offset of the first record of the batch (also written into the batch header).';
comment on column chunk.last_offset is 'Offset of the last record of the batch (kept by compaction, as Kafka keeps a cleaned batch''s last offset).';
comment on column chunk.segment_base_offset is 'Base offset of the segment this chunk belongs to.';
comment on column chunk.record_count is 'Number of records in the batch.';
comment on column chunk.min_timestamp_ms is 'Smallest record timestamp in the batch, ms since the epoch.';
comment on column chunk.max_timestamp_ms is 'Largest record timestamp in the batch, ms since the epoch.';
comment on column chunk.size_bytes is 'Size of the batch in bytes.';
comment on column chunk.batch is 'One Kafka record batch, magic v2, CRC-checked, exactly as a Kafka broker would store and serve it. Decode it with any Kafka record-batch reader (kafka-clients MemoryRecords), or in SQL with rowstream.decode_record_batch.';
comment on column chunk.appended_at is 'When the append transaction ran (database clock); compaction keeps it.';

create function create_chunk_storage(p_topic_id bigint, p_partition_id integer, p_segment_base_offset bigint)
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

create function open_segment(p_topic_id bigint, p_partition_id integer, p_base_offset bigint)
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
    'The caller holds the partition''s row lock, or created the partition in the same transaction.';

do $$
declare
    v_segment record;
    v_storage bigint;
begin
    for v_segment in select topic_id, partition_id, base_offset from segment order by topic_id, partition_id, base_offset loop
        v_storage := create_chunk_storage(v_segment.topic_id, v_segment.partition_id, v_segment.base_offset);
        update segment set storage_id = v_storage
         where topic_id = v_segment.topic_id and partition_id = v_segment.partition_id
           and base_offset = v_segment.base_offset;
        insert into chunk (storage_id, topic_id, partition_id, base_offset, last_offset, segment_base_offset,
                           record_count, min_timestamp_ms, max_timestamp_ms, size_bytes, batch, appended_at)
        select v_storage, topic_id, partition_id, base_offset, last_offset, segment_base_offset,
               record_count, min_timestamp_ms, max_timestamp_ms, size_bytes, batch, appended_at
          from chunk_unpartitioned
         where topic_id = v_segment.topic_id and partition_id = v_segment.partition_id
           and segment_base_offset = v_segment.base_offset;
    end loop;
end
$$;
drop table chunk_unpartitioned;
alter table segment alter column storage_id set not null;
create unique index segment_storage on segment (storage_id);
comment on index segment_storage is 'A storage holds one segment; finds the segment of a storage (maintenance looks for storages no segment points to).';

-- Appends: as in V9, with each segment's chunks going to the segment's storage.
create or replace function append_chunks(
    p_topic_id       bigint,
    p_partition_id   integer,
    p_leader_epoch   integer,
    p_segment_bytes  bigint,
    p_segment_ms     bigint,
    p_batches        bytea,
    p_sizes          integer[],
    p_record_counts  integer[],
    p_min_timestamps bigint[],
    p_max_timestamps bigint[],
    p_producer_ids   bigint[],
    p_producer_epochs integer[],
    p_base_sequences integer[])
returns table (base_offset bigint, outcome smallint)
language plpgsql
set search_path = rowstream, pg_catalog
as $$
#variable_conflict use_column
declare
    v_next          bigint;
    v_seg_base      bigint;
    v_seg_size      bigint;
    v_seg_due       boolean;
    v_storage       bigint;
    v_new_storage   bigint;
    v_lock_timeout  text;
    v_added_bytes   bigint := 0;
    v_added_records bigint := 0;
    v_min_ts        bigint;
    v_max_ts        bigint;
    v_pos           integer := 1;
    v_count         integer;
    v_epoch         integer;
    v_size          integer;
    v_pid           bigint;
    v_current_epoch integer;
    v_seq           producer_sequence%rowtype;
    v_dup           integer;
begin
    select p.log_end_offset, p.leader_epoch into v_next, v_epoch
      from topic_partition p
     where p.topic_id = p_topic_id and p.partition_id = p_partition_id
       for update;
    if not found then
        return;  -- no such partition (the topic was deleted): the caller reports it
    end if;
    -- Fencing: the caller appends under the leader epoch it knows; once the controller has moved
    -- leadership (and bumped the epoch) such an append is refused, with nothing written.
    if p_leader_epoch is not null and p_leader_epoch <> v_epoch then
        raise exception 'stale leader epoch % for partition % of topic id %: the partition is at epoch %',
            p_leader_epoch, p_partition_id, p_topic_id, v_epoch
            using errcode = 'RSE01';
    end if;

    select base_offset, size_bytes, created_at + p_segment_ms * interval '1 millisecond' <= now(), storage_id
      into v_seg_base, v_seg_size, v_seg_due, v_storage
      from segment
     where topic_id = p_topic_id and partition_id = p_partition_id and rolled_at is null;
    if not found then
        v_storage := open_segment(p_topic_id, p_partition_id, v_next);
        v_seg_base := v_next;
        v_seg_size := 0;
        v_seg_due := false;
    end if;

    for i in 1 .. coalesce(cardinality(p_sizes), 0) loop
        v_size := p_sizes[i];
        v_count := p_record_counts[i];
        v_pos := v_pos + v_size;  -- the chunk's bytes end just before v_pos

        -- Idempotent producer (Kafka's model): the chunk's records take sequences
        -- p_base_sequences[i] .. + v_count - 1 in this partition. A retry of one of the last five
        -- chunks answers its original offset and writes nothing; a gap, an old epoch or an unknown
        -- producer refuses the chunk alone. Outcomes: 0 appended, 1 duplicate, 2 out of order
        -- sequence, 3 producer fenced (older epoch), 4 unknown producer id or newer epoch.
        v_pid := p_producer_ids[i];
        if v_pid is not null then
            select producer_epoch into v_current_epoch from producer where producer_id = v_pid for share;
            if not found or p_producer_epochs[i] > v_current_epoch then
                base_offset := -1; outcome := 4; return next; continue;
            elsif p_producer_epochs[i] < v_current_epoch then
                base_offset := -1; outcome := 3; return next; continue;
            end if;
            select * into v_seq from producer_sequence s
             where s.producer_id = v_pid and s.topic_id = p_topic_id and s.partition_id = p_partition_id;
            if found and v_seq.producer_epoch = v_current_epoch then
                v_dup := array_position(v_seq.recent_base_sequences, p_base_sequences[i]);
                if v_dup is not null and v_seq.recent_record_counts[v_dup] = v_count then
                    base_offset := v_seq.recent_base_offsets[v_dup]; outcome := 1; return next; continue;
                elsif p_base_sequences[i] <> (v_seq.last_sequence::bigint + 1) % 2147483648 then
                    base_offset := -1; outcome := 2; return next; continue;
                end if;
            elsif p_base_sequences[i] <> 0 then
                base_offset := -1; outcome := 2; return next; continue;  -- a new epoch starts at 0
            end if;
        end if;
        -- Roll before a chunk that would overflow a non-empty segment, or when it is due by age.
        -- The new segment's storage is attached to chunk, which waits for any other attach or
        -- detach of a chunk storage to finish. Appends do not wait long for that: after 100 ms the
        -- chunk goes into the current segment, which rolls at a later append.
        if v_seg_size > 0 and (v_seg_size + v_size > p_segment_bytes or v_seg_due) then
            v_new_storage := null;
            v_lock_timeout := current_setting('lock_timeout');
            begin
                perform set_config('lock_timeout', '100ms', true);
                v_new_storage := create_chunk_storage(p_topic_id, p_partition_id, v_next);
            exception when lock_not_available then
                v_new_storage := null;  -- the subtransaction undid the storage and the setting
            end;
            if v_new_storage is not null then
                perform set_config('lock_timeout', v_lock_timeout, true);
                update segment
                   set next_offset = v_next,
                       size_bytes = size_bytes + v_added_bytes,
                       record_count = record_count + v_added_records,
                       min_timestamp_ms = least(min_timestamp_ms, v_min_ts),
                       max_timestamp_ms = greatest(max_timestamp_ms, v_max_ts),
                       rolled_at = now()
                 where topic_id = p_topic_id and partition_id = p_partition_id and base_offset = v_seg_base;
                insert into segment (topic_id, partition_id, base_offset, next_offset, storage_id)
                values (p_topic_id, p_partition_id, v_next, v_next, v_new_storage);
                v_storage := v_new_storage;
                v_seg_base := v_next;
                v_seg_size := 0;
                v_seg_due := false;
                v_added_bytes := 0;
                v_added_records := 0;
                v_min_ts := null;
                v_max_ts := null;
            end if;
        end if;

        -- Into the segment's own table, not through chunk's tuple routing: while another storage is
        -- being detached concurrently, a backend may route with a partition descriptor from before
        -- the newest attach, and fail with "no partition of relation chunk found for row" (seen
        -- under a steady stream, bench RetentionSoak). The segment row names the table.
        execute format('insert into rowstream_chunks.%I (storage_id, topic_id, partition_id, base_offset, last_offset, '
                       'segment_base_offset, record_count, min_timestamp_ms, max_timestamp_ms, size_bytes, batch) '
                       'values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)', 's' || v_storage)
        using v_storage, p_topic_id, p_partition_id, v_next, v_next + v_count - 1, v_seg_base, v_count,
              p_min_timestamps[i], p_max_timestamps[i], v_size,
              overlay(substring(p_batches from v_pos - v_size for v_size) placing int8send(v_next) from 1 for 8);
        base_offset := v_next;
        outcome := 0;
        return next;

        if v_pid is not null then
            insert into producer_sequence as s (producer_id, topic_id, partition_id, producer_epoch, last_sequence,
                                                recent_base_sequences, recent_base_offsets, recent_record_counts)
            values (v_pid, p_topic_id, p_partition_id, v_current_epoch,
                    ((p_base_sequences[i]::bigint + v_count - 1) % 2147483648)::integer,
                    array[p_base_sequences[i]], array[v_next], array[v_count])
            on conflict (producer_id, topic_id, partition_id) do update
               set producer_epoch = excluded.producer_epoch,
                   last_sequence = excluded.last_sequence,
                   recent_base_sequences = case when s.producer_epoch = excluded.producer_epoch
                       then (excluded.recent_base_sequences || s.recent_base_sequences)[1:5]
                       else excluded.recent_base_sequences end,
                   recent_base_offsets = case when s.producer_epoch = excluded.producer_epoch
                       then (excluded.recent_base_offsets || s.recent_base_offsets)[1:5]
                       else excluded.recent_base_offsets end,
                   recent_record_counts = case when s.producer_epoch = excluded.producer_epoch
                       then (excluded.recent_record_counts || s.recent_record_counts)[1:5]
                       else excluded.recent_record_counts end,
                   updated_at = now();
        end if;

        v_seg_size := v_seg_size + v_size;
        v_added_bytes := v_added_bytes + v_size;
        v_added_records := v_added_records + v_count;
        v_min_ts := least(v_min_ts, p_min_timestamps[i]);
        v_max_ts := greatest(v_max_ts, p_max_timestamps[i]);
        v_next := v_next + v_count;
    end loop;

    if v_added_records > 0 then
        update segment
           set next_offset = v_next,
               size_bytes = size_bytes + v_added_bytes,
               record_count = record_count + v_added_records,
               min_timestamp_ms = least(min_timestamp_ms, v_min_ts),
               max_timestamp_ms = greatest(max_timestamp_ms, v_max_ts)
         where topic_id = p_topic_id and partition_id = p_partition_id and base_offset = v_seg_base;
    end if;
    update topic_partition set log_end_offset = v_next
     where topic_id = p_topic_id and partition_id = p_partition_id;
end
$$;

-- Fetches: as in V13, walking the partition's segments from the one holding p_from, each read in
-- its own table, named: PostgreSQL then plans over that one table, where a query on chunk would
-- have to prune among every storage of every partition (and a generic plan would lock them all).
create or replace function read_chunks(
    p_topic_id     bigint,
    p_partition_id integer,
    p_from         bigint,
    p_max_bytes    bigint,
    p_max_chunks   integer)
returns table (log_start_offset bigint, log_end_offset bigint, base_offset bigint, batch bytea)
language plpgsql
stable
set search_path = rowstream, pg_catalog
as $$
declare
    v_start    bigint := p_from;
    v_first    bigint;
    v_last     bigint;
    v_bytes    bigint := 0;
    v_chunks   integer := 0;
    v_returned boolean := false;
    v_segment  record;
    v_chunk    record;
begin
    select p.log_start_offset, p.log_end_offset into log_start_offset, log_end_offset
      from topic_partition p
     where p.topic_id = p_topic_id and p.partition_id = p_partition_id;
    if not found then
        return;  -- no such partition: no rows
    end if;
    if p_from < log_start_offset or p_from >= log_end_offset then
        return next;  -- the range alone (batch null): out of range, or nothing new yet
        return;
    end if;

    for v_segment in
        select s.storage_id, s.base_offset, format('rowstream_chunks.%I', 's' || s.storage_id) as storage_table
          from segment s
         where s.topic_id = p_topic_id and s.partition_id = p_partition_id and s.next_offset > p_from
         order by s.base_offset
    loop
        exit when v_bytes >= p_max_bytes or v_chunks >= p_max_chunks;
        -- In this segment's table (named, not found through chunk's partition descriptor, which a
        -- concurrent detach can leave stale): the chunk holding v_start (none when a compaction
        -- removed it, or in a later segment), then the next ones while the bytes before each are
        -- under the budget (so at least one), reading only the small columns. The table exists:
        -- storages are dropped only after DETACH ... CONCURRENTLY waited for every snapshot that
        -- could still see their segment.
        -- (storage_id = ... matches every row of the table, and lets the primary key serve the range.)
        execute format('select max(c.base_offset) from %s c where c.storage_id = $1 and c.base_offset <= $2',
                       v_segment.storage_table)
           into v_first using v_segment.storage_id, v_start;
        v_first := coalesce(v_first, v_start);
        v_last := null;
        for v_chunk in execute format('select c.base_offset, c.size_bytes from %s c where c.storage_id = $1 '
                                      'and c.base_offset >= $2 order by c.base_offset', v_segment.storage_table)
                       using v_segment.storage_id, v_first
        loop
            exit when v_bytes >= p_max_bytes or v_chunks >= p_max_chunks;
            v_last := v_chunk.base_offset;
            v_bytes := v_bytes + v_chunk.size_bytes;
            v_chunks := v_chunks + 1;
        end loop;
        if v_last is not null then
            return query execute format('select $1, $2, c.base_offset, c.batch from %s c '
                                        'where c.storage_id = $5 and c.base_offset between $3 and $4 '
                                        'order by c.base_offset', v_segment.storage_table)
                using log_start_offset, log_end_offset, v_first, v_last, v_segment.storage_id;
            v_returned := true;
        end if;
        v_start := 0;  -- later segments are read from their first chunk
    end loop;
    if not v_returned then
        return next;  -- nothing left at or after p_from (the segments changed meanwhile): nothing to return
    end if;
end
$$;
