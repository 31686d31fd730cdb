-- The controller and the replica states of partitions.
-- One node at a time is the controller: it holds a session advisory lock on a dedicated
-- connection, and this row makes the role visible in SQL. The controller gives each partition a
-- leader among the live nodes (bumping topic_partition.leader_epoch on every change) and records,
-- per partition and broker, whether that broker leads, follows or is offline.

create table controller (
    singleton          boolean     primary key default true check (singleton),
    node_id            integer     not null,
    controller_epoch   integer     not null check (controller_epoch > 0),
    elected_at         timestamptz not null default now(),
    renewed_at         timestamptz not null default now(),
    lease_expires_at   timestamptz not null,
    assignment_version bigint      not null default 0
);
comment on table controller is 'At most one row: the node that holds the controller role. The role itself is a session advisory lock held on the controller''s dedicated connection; this row shows it in SQL. Written only through that connection.';
comment on column controller.singleton is 'Always true; the primary key that keeps this table at one row.';
comment on column controller.node_id is 'Broker id of the current (or last) controller.';
comment on column controller.controller_epoch is 'Incremented each time a node takes the controller role (Kafka''s controller epoch).';
comment on column controller.elected_at is 'When this controller took the role (database clock).';
comment on column controller.renewed_at is 'Last pass of the controller (database clock).';
comment on column controller.lease_expires_at is 'The role counts as held until this instant (database clock); past it, and with its advisory lock free, another node takes over.';
comment on column controller.assignment_version is 'Incremented whenever the controller changes a partition''s leader: nodes re-read leaderships when it moves.';

create table replica_state (
    topic_id      bigint      not null,
    partition_id  integer     not null,
    node_id       integer     not null references broker (node_id) on delete cascade,
    state         text        not null check (state in ('leader', 'follower', 'offline')),
    leader_epoch  integer     not null check (leader_epoch >= 0),
    changed_at    timestamptz not null default now(),
    primary key (topic_id, partition_id, node_id),
    foreign key (topic_id, partition_id) references topic_partition (topic_id, partition_id) on delete cascade
);
comment on table replica_state is 'A row per (partition, broker), written by the controller: the broker leads the partition, follows it (live, ready to take over; in sync, since the data is in PostgreSQL) or is offline (lease lapsed or lock connection gone).';
comment on column replica_state.topic_id is 'Topic of the partition.';
comment on column replica_state.partition_id is 'The partition.';
comment on column replica_state.node_id is 'The broker.';
comment on column replica_state.state is 'leader: orders and batches the partition''s appends; follower: live, forwards appends to the leader; offline: not live.';
comment on column replica_state.leader_epoch is 'The partition''s leader epoch when this state was recorded.';
comment on column replica_state.changed_at is 'When the state or epoch last changed (database clock).';
