-- Kafka's time rules for the active segment (issue 19: points 1 and 3).
--
-- segment.ms by record time. Kafka rolls the active segment before a batch whose largest timestamp
-- is more than segment.ms after the largest timestamp of the segment's first batch (LogSegment's
-- rollingBasedTimestamp, timeWaitedForRoll; segment.jitter.ms is 0 here). Until now append_chunks
-- rolled on the wall-clock age of the segment row (created_at), so a producer replaying old records
-- never rolled by time, and a quiet topic rolled at its next append however close its records'
-- times. The segment keeps that first timestamp in a new column, set by the append that writes its
-- first chunk, so the check costs no extra query. On a LogAppendTime topic the timestamps are the
-- append times, so it rolls on the time between the first append and the new one.
--
-- Time retention of a quiet partition. Kafka deletes the active segment too once its newest record
-- is older than retention.ms (or when retention.bytes asks for it, 0 empties the log): it first
-- rolls a new, empty active segment at the log end. roll_active_segment does that roll for log
-- maintenance, under the partition's row lock, and only if no append reached the segment since
-- maintenance looked at it (its next offset is still the one maintenance judged): an append that
-- lands first keeps its segment active, so a record acknowledged meanwhile is never deleted before
-- it expires. The log end stays; retention then moves the log start up to it.

alter table segment add column first_batch_timestamp_ms bigint;
comment on column segment.first_batch_timestamp_ms is
    'Largest record timestamp of the segment''s first batch, ms since the epoch (Kafka''s rolling-based '
    'timestamp): the segment rolls before a batch whose largest timestamp is more than segment.ms after it. '
    'Null while the segment is empty.';
comment on column segment.created_at is
    'When the segment was opened. segment.ms counts from first_batch_timestamp_ms; from here only when that '
    'timestamp is negative.';

-- Segments opened before this migration: the largest timestamp of their first chunk. (Compaction
-- may have rewritten a rolled segment's first batch; only the active segments' value is ever read.)
update segment s
   set first_batch_timestamp_ms = (select c.max_timestamp_ms from chunk c
                                    where c.storage_id = s.storage_id
                                    order by c.base_offset limit 1)
 where s.size_bytes > 0;

-- Appends: replaces the definition of V15 (which replaced V9's), rolling by record time.
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

    select base_offset, size_bytes, first_batch_timestamp_ms, created_at, storage_id
      into v_seg_base, v_seg_size, v_seg_first_ts, v_seg_created, v_storage
      from segment
     where topic_id = p_topic_id and partition_id = p_partition_id and rolled_at is null;
    if not found then
        v_storage := open_segment(p_topic_id, p_partition_id, v_next);
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

create or replace function roll_active_segment(p_topic_id bigint, p_partition_id integer, p_next_offset bigint)
returns boolean
language plpgsql
set search_path = rowstream, pg_catalog
as $$
declare
    v_base         bigint;
    v_storage      bigint;
    v_lock_timeout text := current_setting('lock_timeout');
begin
    perform 1 from topic_partition p
     where p.topic_id = p_topic_id and p.partition_id = p_partition_id
       for update;
    if not found then
        return false;  -- deleted with its topic
    end if;
    select s.base_offset into v_base
      from segment s
     where s.topic_id = p_topic_id and s.partition_id = p_partition_id and s.rolled_at is null
       and s.next_offset = p_next_offset and s.next_offset > s.base_offset;
    if not found then
        return false;  -- an append reached the segment (or rolled it) since the caller looked: keep it
    end if;
    -- As an append does: wait at most 100 ms for the attach (another attach or detach of a storage
    -- holds chunk); the caller tries again at its next pass.
    begin
        perform set_config('lock_timeout', '100ms', true);
        v_storage := create_chunk_storage(p_topic_id, p_partition_id, p_next_offset);
    exception when lock_not_available then
        return false;  -- the subtransaction undid the storage and the setting
    end;
    perform set_config('lock_timeout', v_lock_timeout, true);
    update segment set rolled_at = now()
     where topic_id = p_topic_id and partition_id = p_partition_id and base_offset = v_base;
    insert into segment (topic_id, partition_id, base_offset, next_offset, storage_id)
    values (p_topic_id, p_partition_id, p_next_offset, p_next_offset, v_storage);
    return true;
end
$$;
comment on function roll_active_segment(bigint, integer, bigint) is
    'Rolls a partition''s active segment, opening an empty one at the log end, if it is non-empty and still ends at '
    'p_next_offset (no append reached it since the caller looked). Takes the partition''s row lock, as appends do. '
    'Returns whether it rolled. Log maintenance calls it before deleting an expired active segment, as Kafka rolls '
    'one before deleting it.';
