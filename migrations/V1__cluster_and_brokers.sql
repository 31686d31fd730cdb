-- The cluster identity and the broker registry.
-- Every node of one Rowstream cluster points at one database; this file gives that
-- database its Kafka-style cluster id and a table in which nodes register themselves.

create table cluster (
    singleton  boolean primary key default true check (singleton),
    cluster_id text        not null,
    created_at timestamptz not null default now()
);
comment on table cluster is 'Exactly one row: the identity of the Rowstream cluster that lives in this database.';
comment on column cluster.singleton is 'Always true; the primary key that keeps this table at one row.';
comment on column cluster.cluster_id is 'Kafka-style cluster id (22 characters of URL-safe base64 of a random UUID), as reported by GET /v3/clusters.';
comment on column cluster.created_at is 'When the schema was first migrated.';

insert into cluster (cluster_id)
values (rtrim(translate(encode(uuid_send(gen_random_uuid()), 'base64'), '+/', '-_'), '='));

create table broker (
    node_id          integer     primary key check (node_id >= 0),
    advertised_url   text        not null,
    started_at       timestamptz not null default now(),
    heartbeat_at     timestamptz not null default now(),
    lease_expires_at timestamptz not null
);
comment on table broker is 'A row per broker node that has registered. A node is live while its lease has not expired (database clock).';
comment on column broker.node_id is 'The broker id (Kafka''s broker.id): ROWSTREAM_NODE_ID, or allocated from broker_node_id_seq at first start.';
comment on column broker.advertised_url is 'Base URL other nodes and clients use to reach this node.';
comment on column broker.started_at is 'When the node process that holds this id last started.';
comment on column broker.heartbeat_at is 'Last heartbeat, database clock.';
comment on column broker.lease_expires_at is 'The node counts as live until this instant (database clock); a clean shutdown sets it to now().';

-- Allocated ids start above Kafka's reserved.broker.max.id (1000), as Kafka does, so they never
-- collide with ids an operator sets by hand.
create sequence broker_node_id_seq start with 1001;
comment on sequence broker_node_id_seq is 'Broker ids for nodes started without ROWSTREAM_NODE_ID (never used for offsets).';
