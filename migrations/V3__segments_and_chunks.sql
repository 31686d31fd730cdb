-- The log itself: segments and the chunks (Kafka v2 record batches) inside them.

create table segment (
    topic_id         bigint      not null,
    partition_id     integer     not null,
    base_offset      bigint      not null check (base_offset >= 0),
    next_offset      bigint      not null,
    size_bytes       bigint      not null default 0,
    record_count     bigint      not null default 0,
    min_timestamp_ms bigint,
    max_timestamp_ms bigint,
    created_at       timestamptz not null default now(),
    rolled_at        timestamptz,
    primary key (topic_id, partition_id, base_offset),
    foreign key (topic_id, partition_id) references topic_partition (topic_id, partition_id) on delete cascade,
    check (next_offset >= base_offset)
);
comment on table segment is 'A row per log segment of a partition: a run of consecutive chunks, rolled by segment.bytes / segment.ms and deleted whole by retention.';
comment on column segment.topic_id is 'Topic of the partition.';
comment on column segment.partition_id is 'Partition the segment belongs to.';
comment on column segment.base_offset is 'Offset of the first record in the segment (Kafka''s segment base offset).';
comment on column segment.next_offset is 'One past the last offset written into the segment.';
comment on column segment.size_bytes is 'Sum of the record batch sizes of the segment''s chunks.';
comment on column segment.record_count is 'Number of records in the segment.';
comment on column segment.min_timestamp_ms is 'Smallest record timestamp in the segment, ms since the epoch.';
comment on column segment.max_timestamp_ms is 'Largest record timestamp in the segment, ms since the epoch (retention.ms compares against it).';
comment on column segment.created_at is 'When the segment was opened (segment.ms counts from here).';
comment on column segment.rolled_at is 'When the segment was closed to appends; null for the active segment (at most one per partition).';

create unique index segment_one_active_per_partition
    on segment (topic_id, partition_id) where rolled_at is null;
comment on index segment_one_active_per_partition is 'A partition has at most one active (open) segment.';

create table chunk (
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
    primary key (topic_id, partition_id, base_offset),
    foreign key (topic_id, partition_id) references topic_partition (topic_id, partition_id) on delete cascade,
    check (last_offset >= base_offset)
);
comment on table chunk is 'A row per appended record batch. Offsets base_offset..last_offset of the partition, in one Kafka v2 record batch.';
comment on column chunk.topic_id is 'Topic of the partition.';
comment on column chunk.partition_id is 'Partition the batch was appended to.';
comment on column chunk.base_offset is 'Offset of the first record of the batch (also written into the batch header).';
comment on column chunk.last_offset is 'Offset of the last record of the batch.';
comment on column chunk.segment_base_offset is 'Base offset of the segment this chunk belongs to.';
comment on column chunk.record_count is 'Number of records in the batch.';
comment on column chunk.min_timestamp_ms is 'Smallest record timestamp in the batch, ms since the epoch.';
comment on column chunk.max_timestamp_ms is 'Largest record timestamp in the batch, ms since the epoch.';
comment on column chunk.size_bytes is 'Size of the batch in bytes.';
comment on column chunk.batch is 'One Kafka record batch, magic v2, CRC-checked, exactly as a Kafka broker would store and serve it. Decode it with any Kafka record-batch reader (kafka-clients MemoryRecords).';
comment on column chunk.appended_at is 'When the append transaction ran (database clock).';

-- Batches are already compact binary (and often client-compressed); TOAST compression would
-- spend CPU on every append for little gain, so large batches are stored out of line uncompressed.
alter table chunk alter column batch set storage external;
