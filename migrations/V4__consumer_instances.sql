-- REST Proxy consumer instances. In Confluent's proxy an instance lives in one proxy's memory;
-- here it is rows, so any node can serve it and it outlives the node that created it.

create table consumer_instance (
    group_name         text        not null,
    instance_id        text        not null,
    format             text        not null check (format in ('binary', 'json')),
    auto_offset_reset  text        not null default 'latest' check (auto_offset_reset in ('earliest', 'latest', 'none')),
    auto_commit_enable boolean     not null default true,
    fetch_min_bytes    integer     not null default -1,
    request_timeout_ms integer     not null default 1000 check (request_timeout_ms >= 0),
    created_at         timestamptz not null default now(),
    last_seen_at       timestamptz not null default now(),
    primary key (group_name, instance_id)
);
comment on table consumer_instance is 'A REST Proxy v2 consumer instance (POST /consumers/{group}).';
comment on column consumer_instance.group_name is 'Consumer group the instance belongs to.';
comment on column consumer_instance.instance_id is 'Instance id: the "name" given at creation, or generated.';
comment on column consumer_instance.format is 'Embedded format of the records it returns: binary (base64) or json.';
comment on column consumer_instance.auto_offset_reset is 'Where to start when a partition has no position, or the position is out of range: earliest, latest or none (error).';
comment on column consumer_instance.auto_commit_enable is 'Whether records returned are committed automatically (consumer groups).';
comment on column consumer_instance.fetch_min_bytes is 'Minimum bytes a records request waits for (-1: return as soon as any record is there).';
comment on column consumer_instance.request_timeout_ms is 'Default long-poll time of GET .../records when no timeout is given (consumer.request.timeout.ms).';
comment on column consumer_instance.created_at is 'When the instance was created.';
comment on column consumer_instance.last_seen_at is 'Last request served for this instance (database clock).';

create table consumer_assignment (
    group_name   text    not null,
    instance_id  text    not null,
    topic_id     bigint  not null,
    partition_id integer not null,
    position     bigint  check (position >= 0),
    primary key (group_name, instance_id, topic_id, partition_id),
    foreign key (group_name, instance_id) references consumer_instance (group_name, instance_id) on delete cascade,
    foreign key (topic_id, partition_id) references topic_partition (topic_id, partition_id) on delete cascade
);
comment on table consumer_assignment is 'Partitions a consumer instance reads (manual assignment), with its fetch position in each.';
comment on column consumer_assignment.group_name is 'Consumer group of the instance.';
comment on column consumer_assignment.instance_id is 'The consumer instance.';
comment on column consumer_assignment.topic_id is 'Topic of the assigned partition.';
comment on column consumer_assignment.partition_id is 'The assigned partition.';
comment on column consumer_assignment.position is 'Next offset the instance will fetch; null until set by a seek or auto.offset.reset.';
