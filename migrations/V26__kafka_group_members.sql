-- Kafka clients become group members (issue 22). A consumer_instance row is a member whichever
-- door it came through: an HTTP consumer instance (REST Proxy v2/v3) or a Kafka client that joined
-- with JoinGroup (the classic protocol) or ConsumerGroupHeartbeat (KIP-848). A group is of one
-- protocol at a time: 'consumer' when the server computes its assignment (HTTP members and
-- KIP-848 members, who may share a group), 'classic' when a member client computes it (JoinGroup /
-- SyncGroup). A member of the other kind is refused while the group has live members
-- (Kafka's INCONSISTENT_GROUP_PROTOCOL; 409 over HTTP).
--
-- A Kafka member's instance_id is its group.instance.id when it has one (static membership), and
-- its member id otherwise. Kafka members have no embedded format: that is an HTTP setting.

alter table consumer_group
    add column group_protocol text not null default 'consumer'
        check (group_protocol in ('consumer', 'classic'));
comment on column consumer_group.group_protocol is 'Who computes the assignment: consumer (the server: HTTP consumer instances and KIP-848 Kafka members, who may share the group) or classic (a member client, through Kafka''s JoinGroup/SyncGroup). A member of the other kind is refused while the group has live members.';

-- Kafka's group states beside the two a server-computed rebalance needs: the classic protocol's
-- join/sync barrier (PREPARING_REBALANCE, COMPLETING_REBALANCE) and KIP-848's reconciliation
-- (ASSIGNING, RECONCILING) are stored, since they outlast one transaction.
alter table consumer_group drop constraint consumer_group_state_check;
alter table consumer_group add constraint consumer_group_state_check
    check (state in ('EMPTY', 'PREPARING_REBALANCE', 'COMPLETING_REBALANCE', 'ASSIGNING', 'RECONCILING', 'STABLE'));
comment on column consumer_group.state is 'Kafka group state. EMPTY: no member; STABLE: every member holds its assignment. A server-computed rebalance of HTTP members completes in one transaction; PREPARING_REBALANCE and COMPLETING_REBALANCE are the classic protocol''s join and sync phases, ASSIGNING and RECONCILING KIP-848''s while members revoke and take partitions.';

-- Assignor names are no longer a closed list: a classic group uses the protocol name its members'
-- clients agreed on (range, roundrobin, sticky, cooperative-sticky, or a client's own), and a
-- KIP-848 group a server assignor (uniform, range). Each door checks the names it accepts.
alter table consumer_group drop constraint consumer_group_assignor_check;
comment on column consumer_group.assignor is 'Partition assignor: for a server-assigned group the assignor the server runs (range, roundrobin, sticky; KIP-848''s uniform); for a classic group the protocol its members agreed on in the last join.';
alter table consumer_instance drop constraint consumer_instance_assignment_strategy_check;
comment on column consumer_instance.assignment_strategy is 'Assignor this member asks for: an HTTP instance''s partition.assignment.strategy (range, roundrobin, sticky), a KIP-848 member''s server assignor, or the first protocol a classic member listed. A server-assigned member''s must match the group''s while the group has subscribed members.';

alter table consumer_instance
    add column door text not null default 'http' check (door in ('http', 'kafka'));
comment on column consumer_instance.door is 'Where the member came from: http (a REST Proxy consumer instance) or kafka (a Kafka client that joined over the Kafka protocol). HTTP calls find only http instances.';

alter table consumer_instance alter column format drop not null;
alter table consumer_instance add constraint consumer_instance_format_of_http
    check ((door = 'http') = (format is not null));
comment on column consumer_instance.format is 'Embedded format of the records an HTTP instance returns: binary (base64) or json; null for a Kafka member.';
