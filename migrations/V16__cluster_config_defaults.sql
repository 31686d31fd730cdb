-- Cluster-wide defaults of topic configs: Kafka's dynamic default broker configs (kafka-configs
-- --entity-type brokers --entity-default), e.g. log.segment.bytes for every topic that does not set
-- segment.bytes itself. They live in the database, not in a node's settings, so that every
-- stateless node resolves a topic's configs the same way: topic override, else this table, else
-- the built-in default. Nodes read these rows together with the topic row (one query) and cache
-- the result about a second, so a change reaches every node within that.
-- The broker checks names and values before writing (the same rules as the topic configs); a
-- row whose name the broker does not know is ignored.

create table if not exists cluster_config (
    name       text        primary key check (length(name) between 1 and 255),
    value      text        not null,
    updated_at timestamptz not null default now()
);
comment on table cluster_config is 'Cluster-wide defaults of topic configs by Kafka broker config name (dynamic default broker configs): a topic that does not override the config takes this value, else the built-in default.';
comment on column cluster_config.name is 'Kafka broker config name: log.segment.bytes, log.roll.ms, log.retention.ms, log.retention.bytes, log.cleanup.policy, log.cleaner.delete.retention.ms, message.max.bytes, min.insync.replicas, log.message.timestamp.type.';
comment on column cluster_config.value is 'The default, as text (as Kafka holds config values), checked by the broker with the same rules as the topic config it stands for.';
comment on column cluster_config.updated_at is 'When the default was last set (database clock).';
