-- Fencing of appends by leader epoch. append_chunks takes the leader epoch the appending node
-- knows and, holding the partition row lock, refuses the append (SQLSTATE RSE01, nothing written)
-- when the partition's epoch differs: a node that lost leadership while paused or cut off cannot
-- write under it. The epoch check reads the row the append locks anyway, so the append stays one
-- statement and one round trip. Otherwise the function is the one of V5.

drop function append_chunks(bigint, integer, bigint, bigint, bytea, integer[], integer[], bigint[], bigint[]);

create function append_chunks(
    p_topic_id       bigint,
    p_partition_id   integer,
    p_leader_epoch   integer,
    p_segment_bytes  bigint,
    p_segment_ms     bigint,
    p_batches        bytea,
    p_sizes          integer[],
    p_record_counts  integer[],
    p_min_timestamps bigint[],
    p_max_timestamps bigint[])
returns setof bigint
language plpgsql
set search_path = rowstream, pg_catalog
as $$
declare
    v_next          bigint;
    v_seg_base      bigint;
    v_seg_size      bigint;
    v_seg_due       boolean;
    v_added_bytes   bigint := 0;
    v_added_records bigint := 0;
    v_min_ts        bigint;
    v_max_ts        bigint;
    v_pos           integer := 1;
    v_count         integer;
    v_epoch         integer;
begin
    select log_end_offset, leader_epoch into v_next, v_epoch
      from topic_partition
     where topic_id = p_topic_id and partition_id = p_partition_id
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

    select base_offset, size_bytes, created_at + p_segment_ms * interval '1 millisecond' <= now()
      into v_seg_base, v_seg_size, v_seg_due
      from segment
     where topic_id = p_topic_id and partition_id = p_partition_id and rolled_at is null;
    if not found then
        insert into segment (topic_id, partition_id, base_offset, next_offset)
        values (p_topic_id, p_partition_id, v_next, v_next);
        v_seg_base := v_next;
        v_seg_size := 0;
        v_seg_due := false;
    end if;

    for i in 1 .. coalesce(cardinality(p_sizes), 0) loop
        -- Roll before a chunk that would overflow a non-empty segment, or when it is due by age.
        if v_seg_size > 0 and (v_seg_size + p_sizes[i] > p_segment_bytes or v_seg_due) then
            update segment
               set next_offset = v_next,
                   size_bytes = size_bytes + v_added_bytes,
                   record_count = record_count + v_added_records,
                   min_timestamp_ms = least(min_timestamp_ms, v_min_ts),
                   max_timestamp_ms = greatest(max_timestamp_ms, v_max_ts),
                   rolled_at = now()
             where topic_id = p_topic_id and partition_id = p_partition_id and base_offset = v_seg_base;
            insert into segment (topic_id, partition_id, base_offset, next_offset)
            values (p_topic_id, p_partition_id, v_next, v_next);
            v_seg_base := v_next;
            v_seg_size := 0;
            v_seg_due := false;
            v_added_bytes := 0;
            v_added_records := 0;
            v_min_ts := null;
            v_max_ts := null;
        end if;

        v_count := p_record_counts[i];
        insert into chunk (topic_id, partition_id, base_offset, last_offset, segment_base_offset, record_count,
                           min_timestamp_ms, max_timestamp_ms, size_bytes, batch)
        values (p_topic_id, p_partition_id, v_next, v_next + v_count - 1, v_seg_base, v_count,
                p_min_timestamps[i], p_max_timestamps[i], p_sizes[i],
                overlay(substring(p_batches from v_pos for p_sizes[i]) placing int8send(v_next) from 1 for 8));
        return next v_next;

        v_pos := v_pos + p_sizes[i];
        v_seg_size := v_seg_size + p_sizes[i];
        v_added_bytes := v_added_bytes + p_sizes[i];
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

comment on function append_chunks(bigint, integer, integer, bigint, bigint, bytea, integer[], integer[], bigint[], bigint[]) is
    'Appends chunks to one partition under its row lock and returns each chunk''s base offset, in order. '
    'Refuses the append with SQLSTATE RSE01 when p_leader_epoch is not null and differs from the partition''s '
    'leader_epoch (fencing). p_batches holds the chunks'' Kafka v2 batches back to back, each encoded at base '
    'offset 0 and p_sizes[i] bytes long; the function writes the real base offset into each. Rolls the active '
    'segment when the next chunk would take it past p_segment_bytes or it is p_segment_ms old. '
    'Returns no rows when the partition does not exist.';
