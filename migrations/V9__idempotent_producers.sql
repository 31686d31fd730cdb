-- The idempotent producer, Kafka's model over HTTP. A client obtains a producer id and epoch
-- (POST /producers), then sends each request to one partition with the sequence number of its
-- first record; append_chunks checks it under the partition's row lock, in the append's own
-- statement: a retry answers the original offsets and writes nothing, a gap is refused, an old
-- epoch is fenced. Requests without a producer id are appended as before.

create table producer (
    producer_id      bigint      generated always as identity primary key,
    producer_epoch   smallint    not null default 0 check (producer_epoch >= 0),
    created_at       timestamptz not null default now(),
    epoch_bumped_at  timestamptz
);
comment on table producer is 'A row per idempotent producer (Kafka InitProducerId): its id and current epoch. Re-initialising with the id and epoch bumps the epoch, which fences requests made under the old one.';
comment on column producer.producer_id is 'Kafka producer id, given out by POST /producers (an identity: producer ids are not offsets, gaps are harmless).';
comment on column producer.producer_epoch is 'Current epoch; appends under an older one are refused (PRODUCER_FENCED).';
comment on column producer.created_at is 'When the producer id was given out.';
comment on column producer.epoch_bumped_at is 'When the epoch was last bumped; null while it is 0.';

create table producer_sequence (
    producer_id           bigint      not null references producer (producer_id) on delete cascade,
    topic_id              bigint      not null,
    partition_id          integer     not null,
    producer_epoch        smallint    not null,
    last_sequence         integer     not null check (last_sequence >= 0),
    recent_base_sequences integer[]   not null,
    recent_base_offsets   bigint[]    not null,
    recent_record_counts  integer[]   not null,
    updated_at            timestamptz not null default now(),
    primary key (producer_id, topic_id, partition_id),
    foreign key (topic_id, partition_id) references topic_partition (topic_id, partition_id) on delete cascade
);
comment on table producer_sequence is 'Per producer and partition: the last sequence appended and the last five chunks (Kafka keeps five batches per producer), so that a retried request is recognised and answered with its original offsets.';
comment on column producer_sequence.producer_id is 'The producer.';
comment on column producer_sequence.topic_id is 'Topic of the partition.';
comment on column producer_sequence.partition_id is 'The partition.';
comment on column producer_sequence.producer_epoch is 'Epoch of the appends recorded here; a new epoch starts again at sequence 0.';
comment on column producer_sequence.last_sequence is 'Sequence of the last record appended; the next request must start at last_sequence + 1 (wrapping after 2^31 - 1, as Kafka).';
comment on column producer_sequence.recent_base_sequences is 'Base sequences of the last five chunks appended, newest first.';
comment on column producer_sequence.recent_base_offsets is 'Base offsets of those chunks, in the same order.';
comment on column producer_sequence.recent_record_counts is 'Record counts of those chunks, in the same order (a retry must carry the same number of records).';
comment on column producer_sequence.updated_at is 'When the last chunk was appended.';

drop function append_chunks(bigint, integer, integer, bigint, bigint, bytea, integer[], integer[], bigint[], bigint[]);

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
        if v_seg_size > 0 and (v_seg_size + v_size > p_segment_bytes or v_seg_due) then
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

        insert into chunk (topic_id, partition_id, base_offset, last_offset, segment_base_offset, record_count,
                           min_timestamp_ms, max_timestamp_ms, size_bytes, batch)
        values (p_topic_id, p_partition_id, v_next, v_next + v_count - 1, v_seg_base, v_count,
                p_min_timestamps[i], p_max_timestamps[i], v_size,
                overlay(substring(p_batches from v_pos - v_size for v_size) placing int8send(v_next) from 1 for 8));
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

comment on function append_chunks(bigint, integer, integer, bigint, bigint, bytea, integer[], integer[], bigint[], bigint[], bigint[], integer[], integer[]) is
    'Appends chunks to one partition under its row lock and returns, per chunk in order, its base offset and '
    'outcome: 0 appended; 1 duplicate of a recent chunk of the same producer (the original base offset, nothing '
    'written); 2 out of order sequence, 3 producer fenced, 4 unknown producer (base offset -1, nothing written). '
    'Chunks with a null producer id are plain appends. Refuses the whole call with SQLSTATE RSE01 when '
    'p_leader_epoch is not null and differs from the partition''s leader_epoch (fencing). p_batches holds the '
    'chunks'' Kafka v2 batches back to back, each encoded at base offset 0 and p_sizes[i] bytes long. Rolls the '
    'active segment when the next chunk would take it past p_segment_bytes or it is p_segment_ms old. '
    'Returns no rows when the partition does not exist.';
