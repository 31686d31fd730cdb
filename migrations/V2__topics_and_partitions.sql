-- Topics and their partitions. A partition row is the lock that orders its appends:
-- an append holds it FOR UPDATE while it writes a chunk and moves log_end_offset.

create table topic (
    topic_id           bigint generated always as identity primary key,
    name               text        not null unique
        check (name ~ '^[a-zA-Z0-9._-]{1,249}$' and name not in ('.', '..')),
    partition_count    integer     not null check (partition_count between 1 and 100000),
    replication_factor smallint    not null default 1 check (replication_factor >= 1),
    configs            jsonb       not null default '{}'::jsonb check (jsonb_typeof(configs) = 'object'),
    created_at         timestamptz not null default now()
);
comment on table topic is 'A row per topic. Deleting a topic deletes its partitions, segments and chunks.';
comment on column topic.topic_id is 'Surrogate id; a topic deleted and created again under the same name gets a new id, so nothing of the old one leaks into it.';
comment on column topic.name is 'Topic name, Kafka rules: 1-249 characters of [a-zA-Z0-9._-], not "." or "..".';
comment on column topic.partition_count is 'Number of partitions; it can grow, never shrink (Kafka semantics).';
comment on column topic.replication_factor is 'Requested replication factor, reported to clients; the data itself is as durable as the PostgreSQL holding it.';
comment on column topic.configs is 'Topic-level config overrides by Kafka name (retention.ms, segment.bytes, ...), string values. Absent names take the broker default.';
comment on column topic.created_at is 'When the topic was created.';

create table topic_partition (
    topic_id         bigint  not null references topic (topic_id) on delete cascade,
    partition_id     integer not null check (partition_id >= 0),
    log_start_offset bigint  not null default 0 check (log_start_offset >= 0),
    log_end_offset   bigint  not null default 0 check (log_end_offset >= log_start_offset),
    leader_node_id   integer,
    leader_epoch     integer not null default 0 check (leader_epoch >= 0),
    primary key (topic_id, partition_id)
);
comment on table topic_partition is 'A row per partition. Appends lock this row, so offsets are assigned and become visible in offset order.';
comment on column topic_partition.topic_id is 'The topic this partition belongs to.';
comment on column topic_partition.partition_id is 'Partition number, 0 .. partition_count - 1.';
comment on column topic_partition.log_start_offset is 'First offset still readable (moves forward when retention deletes segments).';
comment on column topic_partition.log_end_offset is 'Next offset to be assigned (Kafka''s log end offset / high watermark): every offset below it is committed.';
comment on column topic_partition.leader_node_id is 'Broker currently leading this partition (orders and batches its appends); null while no leader is assigned.';
comment on column topic_partition.leader_epoch is 'Incremented on every change of leader; appends made under an older epoch are refused (fencing).';
