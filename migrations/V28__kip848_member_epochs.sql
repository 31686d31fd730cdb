-- KIP-848 consumer groups (issue 22): a Kafka client with group.protocol=consumer is a
-- consumer_instance row (door 'kafka') whose assignment the server computes, beside HTTP instances
-- of the same group. A Kafka client fetches by itself, so a partition taken from it must not be
-- given to its next owner until the client says (in a heartbeat) it no longer owns it. The
-- assignor's result is therefore stored apart from ownership: consumer_target_assignment is what
-- each member should own, consumer_assignment (generation not null) what it owns now, and
-- heartbeats move ownership toward the target, one owner per partition at any time
-- (consumer_assignment_one_owner).

alter table consumer_instance
    add column if not exists member_epoch          integer,
    add column if not exists previous_member_epoch integer,
    add column if not exists client_id             text,
    add column if not exists rebalance_timeout_ms  integer check (rebalance_timeout_ms >= 0),
    add column if not exists revoke_by             timestamptz;
comment on column consumer_instance.member_epoch is 'KIP-848 member epoch of a Kafka member: the group generation whose target it reached (its heartbeats must carry it, else FENCED_MEMBER_EPOCH; its commits too, else STALE_MEMBER_EPOCH); -2 while a static member that left with epoch -2 may be taken over by its instance id. Null for HTTP instances, whose seen generation is consumer_instance.generation.';
comment on column consumer_instance.rebalance_timeout_ms is 'Kafka rebalance.timeout.ms of a Kafka member (its first heartbeat): how long it may take to give up partitions; null for HTTP instances, which give them up at once.';
comment on column consumer_instance.revoke_by is 'While a Kafka member holds partitions outside its target: when it must have released them (database clock), else it is removed as if its session had ended. Null otherwise.';
comment on column consumer_instance.previous_member_epoch is 'The Kafka member''s epoch before its current one: a heartbeat still carrying it (its answer was lost) is accepted when what it lists as owned is among what the member owns now, as Kafka accepts it. Null for HTTP instances.';
comment on column consumer_instance.client_id is 'Kafka client.id of a Kafka member (ConsumerGroupDescribe); null for HTTP instances.';

create table if not exists consumer_target_assignment (
    group_name   text    not null,
    instance_id  text    not null,
    topic_id     bigint  not null,
    partition_id integer not null,
    generation   integer not null,
    primary key (group_name, instance_id, topic_id, partition_id),
    foreign key (group_name, instance_id) references consumer_instance (group_name, instance_id) on delete cascade,
    foreign key (topic_id, partition_id) references topic_partition (topic_id, partition_id) on delete cascade
);
comment on table consumer_target_assignment is 'What the group''s assignor gave each subscribed member in the last rebalance (KIP-848''s target assignment). Ownership (consumer_assignment) follows it: at once for partitions an HTTP instance gives up, after the Kafka member''s heartbeat stops listing it for partitions a Kafka member gives up.';
comment on column consumer_target_assignment.group_name is 'Consumer group of the member.';
comment on column consumer_target_assignment.instance_id is 'The member (consumer_instance.instance_id).';
comment on column consumer_target_assignment.topic_id is 'Topic of the partition.';
comment on column consumer_target_assignment.partition_id is 'The partition the member should own.';
comment on column consumer_target_assignment.generation is 'Group generation (KIP-848 group epoch) of the rebalance that computed this target.';

create unique index if not exists consumer_target_assignment_one_target
    on consumer_target_assignment (group_name, topic_id, partition_id);
comment on index consumer_target_assignment_one_target is 'Within a group, the assignor targets each partition at one member.';
