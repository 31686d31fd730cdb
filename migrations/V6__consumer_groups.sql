-- Consumer groups: the group row (its lock orders every membership change), members as leased
-- consumer instances with a subscription, server-computed assignments, and committed offsets.
-- In Kafka this state lives in the group coordinator's memory and __consumer_offsets; here it is
-- rows, so any node coordinates any group and a node's death loses nothing.

create table consumer_group (
    group_name     text        primary key,
    state          text        not null default 'EMPTY' check (state in ('EMPTY', 'STABLE')),
    generation     integer     not null default 0 check (generation >= 0),
    protocol_type  text        not null default 'consumer',
    assignor       text        not null default 'range' check (assignor in ('range', 'roundrobin', 'sticky')),
    created_at     timestamptz not null default now(),
    rebalanced_at  timestamptz
);
comment on table consumer_group is 'A row per consumer group. Every membership change (join, leave, unsubscribe, lease expiry, new partitions of a subscribed topic) locks this row, bumps generation and rewrites the assignment in one transaction.';
comment on column consumer_group.group_name is 'Group id (Kafka group.id), the {group} of /consumers/{group}.';
comment on column consumer_group.state is 'EMPTY: no subscribed member; STABLE: subscribed members own every subscribed partition. A rebalance completes inside one transaction, so the transient Kafka states are never stored.';
comment on column consumer_group.generation is 'Kafka generation id: incremented by every rebalance. Offset commits from a member that has not seen the current generation are refused (fencing).';
comment on column consumer_group.protocol_type is 'Kafka protocol type of the group: always consumer (the classic consumer protocol).';
comment on column consumer_group.assignor is 'Partition assignor (the Kafka group protocol): range, roundrobin or sticky; chosen by the first member to subscribe to an empty group.';
comment on column consumer_group.created_at is 'When the group was first used.';
comment on column consumer_group.rebalanced_at is 'When the current generation was computed (database clock); null before the first rebalance.';

-- Every existing instance belongs to a group row.
insert into consumer_group (group_name)
select distinct group_name from consumer_instance
on conflict do nothing;

alter table consumer_instance
    add column member_id            text,
    add column session_timeout_ms   integer     not null default 45000 check (session_timeout_ms > 0),
    add column lease_expires_at     timestamptz not null default now() + interval '45 seconds',
    add column assignment_strategy  text        not null default 'range'
        check (assignment_strategy in ('range', 'roundrobin', 'sticky')),
    add column subscribed_topics    text[],
    add column subscribed_pattern   text,
    add column generation           integer,
    add constraint consumer_instance_one_subscription check (subscribed_topics is null or subscribed_pattern is null),
    add constraint consumer_instance_group foreign key (group_name) references consumer_group (group_name) on delete cascade;
update consumer_instance set member_id = instance_id || '-' || md5(random()::text) where member_id is null;
alter table consumer_instance alter column member_id set not null;
alter table consumer_instance add constraint consumer_instance_member_id unique (member_id);
create index consumer_instance_lease on consumer_instance (lease_expires_at);

comment on table consumer_instance is 'A REST Proxy v2 consumer instance (POST /consumers/{group}), which is also the group member: it holds a lease renewed by each of its requests, and either a subscription (the group assigns its partitions) or a manual assignment.';
comment on column consumer_instance.member_id is 'Kafka member id: the instance name plus a random suffix, new for every incarnation of the name (v3 consumer_id).';
comment on column consumer_instance.session_timeout_ms is 'Lease length (Kafka session.timeout.ms): each request of the instance renews its lease for this long.';
comment on column consumer_instance.lease_expires_at is 'End of the lease (database clock). Past it the instance is gone for every request, and the reaper deletes it and rebalances its group.';
comment on column consumer_instance.assignment_strategy is 'Assignor this member asks for (partition.assignment.strategy): range, roundrobin or sticky. It must match the group''s while the group has subscribed members.';
comment on column consumer_instance.subscribed_topics is 'Topics subscribed by name (POST .../subscription {"topics"}); null when not subscribed by name.';
comment on column consumer_instance.subscribed_pattern is 'Java regular expression of a pattern subscription ({"topic_pattern"}); topics created later that match it join the subscription. Null when not subscribed by pattern.';
comment on column consumer_instance.generation is 'Last group generation this member has seen (by reading records or its assignment, or by joining). A commit is refused while it is older than the group''s.';
comment on column consumer_instance.last_seen_at is 'Last request served for this instance (database clock).';

alter table consumer_assignment
    add column generation integer;
comment on table consumer_assignment is 'Partitions a consumer instance owns, with its fetch position in each: given by the group''s assignor (generation not null) or by the instance itself (manual assignment, generation null).';
comment on column consumer_assignment.generation is 'Group generation that gave this partition to the member; null for a manual assignment. A read moves the position only if the row still carries the generation it started under.';

create unique index consumer_assignment_one_owner
    on consumer_assignment (group_name, topic_id, partition_id) where generation is not null;
comment on index consumer_assignment_one_owner is 'Within a group, at most one member owns a partition through the group''s assignment.';

create table committed_offset (
    group_name       text        not null references consumer_group (group_name) on delete cascade,
    topic_id         bigint      not null,
    partition_id     integer     not null,
    committed_offset bigint      not null check (committed_offset >= 0),
    metadata         text        not null default '',
    generation       integer,
    committed_at     timestamptz not null default now(),
    primary key (group_name, topic_id, partition_id),
    foreign key (topic_id, partition_id) references topic_partition (topic_id, partition_id) on delete cascade
);
comment on table committed_offset is 'The group''s committed offset per partition (Kafka __consumer_offsets): where a member starts when it gets the partition.';
comment on column committed_offset.group_name is 'The consumer group.';
comment on column committed_offset.topic_id is 'Topic of the partition.';
comment on column committed_offset.partition_id is 'The partition.';
comment on column committed_offset.committed_offset is 'Next offset to read (Kafka convention: last processed offset + 1). Auto-commits and commit-all only move it forward; an explicit commit may move it back.';
comment on column committed_offset.metadata is 'Client metadata given with the commit.';
comment on column committed_offset.generation is 'Group generation the commit was made in; null for a commit by a manually assigned instance.';
comment on column committed_offset.committed_at is 'When the offset was committed (database clock).';
