-- The log's two hot functions, here and nowhere else: append_chunks (every produce) and
-- read_chunks (every fetch). This file is their one current definition. Flyway runs it after the
-- versioned migrations, and again whenever it changes, so a change to either function is made
-- here, never in a new versioned migration (migrations/README.md). The versioned migrations that
-- created earlier versions of them keep their text as history only.
--
-- What they guarantee:
-- * Offsets under the partition's row lock. append_chunks locks the topic_partition row (FOR UPDATE),
--   places each chunk at the log end, moves log_end_offset and keeps the active segment's figures,
--   all in the caller's transaction: concurrent appends to a partition are serialized, offsets are
--   dense and never reused, and a chunk is visible exactly when the log end that covers it is.
--   A produce costs one round trip: the caller runs it in autocommit mode or, for a request
--   spanning several partitions, once per partition in partition order inside one transaction.
-- * Offsets placed without re-encoding. Batches arrive encoded at base offset 0; the append
--   overwrites their first 8 bytes (Kafka v2 baseOffset) and bytes 12..15 (partitionLeaderEpoch,
--   with the partition's leader epoch), which Kafka's batch CRC does not cover, as a Kafka broker
--   assigns offsets and stamps its epoch on a producer's batch. A client's batch stored as sent
--   keeps its CRC.
-- * Fencing by leader epoch. An append under a leader epoch the partition has moved past is refused
--   with SQLSTATE RSE01, in the same statement, with nothing written.
-- * Idempotent de-duplication (Kafka's model). A retry of one of a producer's last five chunks in
--   the partition answers its original offset and writes nothing; a sequence gap, an older epoch or
--   an unknown producer refuses that chunk alone.
-- * Segment rolls. The active segment rolls before a chunk that would take it past segment.bytes,
--   or whose largest timestamp is more than segment.ms after that of the segment's first batch
--   (Kafka's LogSegment.shouldRoll); each segment's chunks go to a storage table of its own
--   (R__segment_functions.sql). A partition without an active segment (never written, or rolled by
--   retention) gets one, with its table, from the first chunk the append writes, under the row lock.
-- * Reads on one snapshot. read_chunks is STABLE: the range and the chunks are read at one instant,
--   walking the primary key from the requested offset and stopping at the byte budget, so reading
--   the tail of a partition costs what it returns, not what the partition holds.
--
-- Both keep their signatures. To change one's arguments or result columns, drop the old signature
-- here first (drop function if exists name(old argument types)), then create the new one, so that
-- the file stays re-runnable on every database.

-- Appends: offsets, fencing, de-duplication and rolls, under the partition's row lock.
-- Its result gained log_start_offset (Kafka's Produce answers it): the old result type is dropped
-- first when it is there, as create or replace cannot change a result type.
do $$
begin
    if exists (select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                where n.nspname = 'rowstream' and p.proname = 'append_chunks'
                  and not 'log_start_offset' = any(coalesce(p.proargnames, '{}'))) then
        drop function append_chunks(bigint, integer, integer, bigint, bigint, bytea, integer[], integer[],
                                    bigint[], bigint[], bigint[], integer[], integer[]);
    end if;
end
$$;
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
returns table (base_offset bigint, outcome smallint, log_start_offset bigint)
language plpgsql
set search_path = rowstream, pg_catalog
as $$
#variable_conflict use_column
declare
    v_next          bigint;
    v_seg_base      bigint;
    v_seg_size      bigint;
    v_seg_first_ts  bigint;   -- the largest timestamp of the active segment's first batch
    v_seg_created   timestamptz;
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
    select p.log_end_offset, p.leader_epoch, p.log_start_offset into v_next, v_epoch, log_start_offset
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

    select base_offset, size_bytes, first_batch_timestamp_ms, created_at, storage_id
      into v_seg_base, v_seg_size, v_seg_first_ts, v_seg_created, v_storage
      from segment
     where topic_id = p_topic_id and partition_id = p_partition_id and rolled_at is null;
    if not found then
        -- No active segment (a new partition, or retention rolled the last one): the first chunk
        -- written below opens one, with its storage, so an append that writes nothing creates none.
        v_storage := null;
        v_seg_base := v_next;
        v_seg_size := 0;
        v_seg_first_ts := null;
        v_seg_created := now();
    end if;

    for i in 1 .. coalesce(cardinality(p_sizes), 0) loop
        v_size := p_sizes[i];
        v_count := p_record_counts[i];
        v_pos := v_pos + v_size;  -- the chunk's bytes end just before v_pos

        -- Idempotent producer (Kafka's model): the chunk's records take sequences
        -- p_base_sequences[i] .. + v_count - 1 in this partition. A retry of one of the last five
        -- chunks answers its original offset and writes nothing; a gap, an old epoch or an unknown
        -- producer refuses the chunk alone. The partition's epoch is the newer of the producer row's
        -- (InitProducerId, POST /producers) and the last one appended here: a Kafka producer also
        -- bumps its epoch itself (KIP-360, after a batch expired) and starts the new epoch at
        -- sequence 0 in each partition, which is accepted, as Kafka accepts it. Outcomes: 0 appended,
        -- 1 duplicate, 2 out of order sequence (also a newer epoch not starting at 0), 3 producer
        -- fenced (an epoch older than the producer row's or the partition's), 4 unknown producer id.
        v_pid := p_producer_ids[i];
        if v_pid is not null then
            select producer_epoch into v_current_epoch from producer where producer_id = v_pid for share;
            if not found then
                base_offset := -1; outcome := 4; return next; continue;
            end if;
            select * into v_seq from producer_sequence s
             where s.producer_id = v_pid and s.topic_id = p_topic_id and s.partition_id = p_partition_id;
            if found and v_seq.producer_epoch > v_current_epoch then
                v_current_epoch := v_seq.producer_epoch;
            end if;
            if p_producer_epochs[i] < v_current_epoch then
                base_offset := -1; outcome := 3; return next; continue;
            elsif p_producer_epochs[i] > v_current_epoch or not found
                  or v_seq.producer_epoch <> v_current_epoch then
                if p_base_sequences[i] <> 0 then
                    base_offset := -1; outcome := 2; return next; continue;  -- a new epoch starts at 0
                end if;
                v_current_epoch := p_producer_epochs[i];
            else
                v_dup := array_position(v_seq.recent_base_sequences, p_base_sequences[i]);
                if v_dup is not null and v_seq.recent_record_counts[v_dup] = v_count then
                    base_offset := v_seq.recent_base_offsets[v_dup]; outcome := 1; return next; continue;
                elsif p_base_sequences[i] <> (v_seq.last_sequence::bigint + 1) % 2147483648 then
                    base_offset := -1; outcome := 2; return next; continue;
                end if;
            end if;
        end if;
        -- Roll before a chunk that would overflow a non-empty segment, or when it is due by record
        -- time, as Kafka's LogSegment.shouldRoll (with segment.jitter.ms 0): the chunk's largest
        -- timestamp is more than segment.ms after the largest timestamp of the segment's first batch
        -- (on a LogAppendTime topic both are append times). Only a segment without a usable first
        -- timestamp (negative) falls back to the time since it was opened. In numeric: timestamps
        -- far apart must not overflow bigint.
        -- The new segment's storage is attached to chunk, which waits for any other attach or
        -- detach of a chunk storage to finish. Appends do not wait long for that: after 100 ms the
        -- chunk goes into the current segment, which rolls at a later append.
        if v_seg_size > 0 and (v_seg_size + v_size > p_segment_bytes
                               or case when v_seg_first_ts >= 0
                                       then p_max_timestamps[i]::numeric - v_seg_first_ts
                                       else extract(epoch from now() - v_seg_created) * 1000
                                  end > p_segment_ms) then
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
                       first_batch_timestamp_ms = v_seg_first_ts,
                       rolled_at = now()
                 where topic_id = p_topic_id and partition_id = p_partition_id and base_offset = v_seg_base;
                insert into segment (topic_id, partition_id, base_offset, next_offset, storage_id)
                values (p_topic_id, p_partition_id, v_next, v_next, v_new_storage);
                v_storage := v_new_storage;
                v_seg_base := v_next;
                v_seg_size := 0;
                v_seg_first_ts := null;
                v_seg_created := now();
                v_added_bytes := 0;
                v_added_records := 0;
                v_min_ts := null;
                v_max_ts := null;
            end if;
        end if;

        if v_storage is null then
            v_storage := open_segment(p_topic_id, p_partition_id, v_next);
            v_seg_base := v_next;
            v_seg_created := now();
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
              -- baseOffset (bytes 1..8) and partitionLeaderEpoch (13..16) set, batchLength (9..12) and
              -- the rest as sent: one concatenation, so a chunk's bytes are copied no more than once
              int8send(v_next) || substring(p_batches from v_pos - v_size + 8 for 4) || int4send(v_epoch)
                  || substring(p_batches from v_pos - v_size + 16 for v_size - 16);
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

        if v_seg_size = 0 then
            v_seg_first_ts := p_max_timestamps[i];  -- Kafka's rolling-based timestamp of the segment
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
               max_timestamp_ms = greatest(max_timestamp_ms, v_max_ts),
               first_batch_timestamp_ms = v_seg_first_ts
         where topic_id = p_topic_id and partition_id = p_partition_id and base_offset = v_seg_base;
    end if;
    update topic_partition set log_end_offset = v_next
     where topic_id = p_topic_id and partition_id = p_partition_id;
end
$$;
comment on function append_chunks(bigint, integer, integer, bigint, bigint, bytea, integer[], integer[], bigint[], bigint[], bigint[], integer[], integer[]) is
    'Appends chunks to one partition under its row lock and returns, per chunk in order, its base offset, '
    'outcome and the partition''s log start offset: 0 appended; 1 duplicate of a recent chunk of the same producer (the original base offset, nothing '
    'written); 2 out of order sequence, 3 producer fenced, 4 unknown producer (base offset -1, nothing written). '
    'Chunks with a null producer id are plain appends. Refuses the whole call with SQLSTATE RSE01 when '
    'p_leader_epoch is not null and differs from the partition''s leader_epoch (fencing). p_batches holds the '
    'chunks'' Kafka v2 batches back to back, each encoded at base offset 0 and p_sizes[i] bytes long; each is '
    'stored with its base offset and the partition''s leader epoch written in (bytes 0..7 and 12..15). Rolls the '
    'active segment when the next chunk would take it past p_segment_bytes, or when that chunk''s largest '
    'timestamp is more than p_segment_ms after the largest timestamp of the segment''s first batch. '
    'Returns no rows when the partition does not exist.';

-- Fetches: walking the partition's segments from the one holding p_from, each read in its own
-- table, named: PostgreSQL then plans over that one table, where a query on chunk would have to
-- prune among every storage of every partition (and a generic plan would lock them all).
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
    v_start     bigint := p_from;
    v_bytes     bigint := 0;
    v_chunks    integer := 0;
    v_returned  boolean := false;
    v_segment   record;
    v_size      integer;
    v_chunks_of refcursor;
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
        -- concurrent detach can leave stale), one statement, fetched a chunk at a time: the chunk
        -- holding v_start (none when a compaction removed it, or in a later segment), then the next
        -- ones while the bytes before each are under the budget (so at least one); a chunk past the
        -- budget is not fetched. One statement a segment, because each is parsed and planned at
        -- every call (its table is named): with three, a fetch of eight partitions woken by an
        -- append read in 1.45-1.6 ms (median), with one in 1.15-1.35 (2026-12-05). The table may be
        -- gone: DETACH ... CONCURRENTLY waits for the transactions that lock chunk, not for every
        -- snapshot that can still see a segment, and this reads a segment's table by name without
        -- locking chunk. Then this fails with SQLSTATE 42P01 and nothing else happens; run again,
        -- it takes a new snapshot, which sees the new log start or the segment's new table.
        -- (storage_id = ... matches every row of the table, and lets the primary key serve the range.)
        open v_chunks_of for execute format(
            'select c.base_offset, c.size_bytes, c.batch from %1$s c '
            'where c.storage_id = $1 and c.base_offset >= coalesce((select max(m.base_offset) from %1$s m '
            'where m.storage_id = $1 and m.base_offset <= $2), $2) order by c.base_offset',
            v_segment.storage_table)
            using v_segment.storage_id, v_start;
        loop
            exit when v_bytes >= p_max_bytes or v_chunks >= p_max_chunks;
            fetch v_chunks_of into base_offset, v_size, batch;
            exit when not found;
            v_bytes := v_bytes + v_size;
            v_chunks := v_chunks + 1;
            v_returned := true;
            return next;
        end loop;
        close v_chunks_of;
        v_start := 0;  -- later segments are read from their first chunk
    end loop;
    if not v_returned then
        return next;  -- nothing left at or after p_from (the segments changed meanwhile): nothing to return
    end if;
end
$$;
comment on function read_chunks(bigint, integer, bigint, bigint, integer) is
    'Reads a partition from offset p_from: returns its log start and end offsets, and, when p_from lies in '
    '[start, end), the chunk holding p_from and the following ones in offset order while the bytes before each '
    'are under p_max_bytes (at least one chunk, at most p_max_chunks). One row with a null batch when there is '
    'nothing to return; no rows when the partition does not exist. Runs on the caller''s snapshot (STABLE). '
    'Fails with SQLSTATE 42P01 when maintenance dropped a segment''s table after that snapshot was taken: '
    'call it again (in a new transaction under REPEATABLE READ).';
