-- Kafka's classic group protocol (JoinGroup / SyncGroup / Heartbeat / LeaveGroup) on rows, so that
-- any node coordinates any classic group. A classic member is a consumer_instance row (door
-- 'kafka') in a group whose group_protocol is 'classic'; what the protocol needs beside the lease
-- is in classic_member. The join barrier is the group row: PREPARING_REBALANCE until every member
-- has rejoined or rebalance_deadline (database clock) has passed; whichever join sees that first
-- completes the rebalance in one transaction holding the row FOR UPDATE.

alter table consumer_group
    add column leader_member_id   text,
    add column rebalance_deadline timestamptz;
comment on column consumer_group.leader_member_id is 'Classic groups: member id of the leader of the current generation (the member that computes the assignment); null otherwise.';
comment on column consumer_group.rebalance_deadline is 'Classic groups in PREPARING_REBALANCE: when the join barrier ends even if members have not rejoined (now + the largest rebalance timeout of the members when the rebalance began, database clock); null otherwise.';

create table classic_member (
    group_name           text    not null,
    instance_id          text    not null,
    static_member        boolean not null,
    protocol_type        text    not null,
    protocol_names       text[]  not null,
    protocol_metadata    bytea[] not null,
    rebalance_timeout_ms integer not null check (rebalance_timeout_ms > 0),
    client_id            text    not null,
    client_host          text    not null,
    rejoined             boolean not null default true,
    assignment           bytea,
    primary key (group_name, instance_id),
    foreign key (group_name, instance_id) references consumer_instance (group_name, instance_id) on delete cascade,
    check (cardinality(protocol_names) = cardinality(protocol_metadata))
);
comment on table classic_member is 'What Kafka''s classic group protocol keeps of a member (a consumer_instance row with door kafka) beside its lease: its protocols, timeouts, client, and the assignment its group''s leader gave it.';
comment on column classic_member.group_name is 'The classic group.';
comment on column classic_member.instance_id is 'The member''s consumer_instance: its group.instance.id when static, else its member id.';
comment on column classic_member.static_member is 'Whether instance_id is a group.instance.id (static membership: a rejoin with it takes the member over, and fences the old member id).';
comment on column classic_member.protocol_type is 'Protocol type of its JoinGroup (consumer for Kafka consumers, connect for Connect workers); every member of a group has the same.';
comment on column classic_member.protocol_names is 'The protocols (assignors) the member supports, most preferred first.';
comment on column classic_member.protocol_metadata is 'Each protocol''s metadata (for consumers, the ConsumerProtocol subscription), in the order of protocol_names; the leader gets the chosen protocol''s from every member.';
comment on column classic_member.rebalance_timeout_ms is 'How long a rebalance waits for this member to rejoin (Kafka max.poll.interval.ms for consumers).';
comment on column classic_member.client_id is 'Client id of its last JoinGroup.';
comment on column classic_member.client_host is 'Address its last JoinGroup came from.';
comment on column classic_member.rejoined is 'Whether the member has sent JoinGroup in the rebalance under way (PREPARING_REBALANCE); members that have not when it completes are removed.';
comment on column classic_member.assignment is 'The assignment bytes the leader gave this member in the current generation (SyncGroup); null until the leader synced.';
