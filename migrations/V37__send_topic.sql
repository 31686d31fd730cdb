-- What rowstream.send needs of a topic, worked out ahead: a row per topic with its partition count
-- and its effective max.message.bytes and cleanup.policy (the topic's own config, else the
-- cluster's default, else Kafka's), so that a send reads one row by the topic's name and tests
-- the record against plain columns. Reading the cluster's defaults in every call (two aggregates
-- over cluster_config) was about a fifth of what a send cost the application (perf, 2026-12-05).
--
-- Kept by triggers on topic and cluster_config (sql/R__send_functions.sql), in the transaction
-- that changes them; filled there too, once the triggers exist.
create table send_topic (
    topic_id        bigint  primary key references topic (topic_id) on delete cascade,
    name            text    not null,
    partition_count integer not null,
    unchecked_bytes bigint  not null,
    keyless         boolean not null
);
-- send finds a topic's row by name through a hash index: a B-tree scan allocates about 27 kB for
-- its scan positions at every call, which cost each send about 7 µs (70 against 77 µs of backend
-- CPU, 2026-12-05). Names are unique in topic (a hash index cannot be unique).
create index send_topic_name on send_topic using hash (name);
comment on table send_topic is 'Per topic, what rowstream.send tests a record against (partition count, effective max.message.bytes and cleanup.policy), kept by triggers on topic and cluster_config; send_check holds the full checks.';
comment on column send_topic.name is 'The topic''s name (topic.name): send looks it up by this.';
comment on column send_topic.topic_id is 'The topic (topic.topic_id); the row goes with it.';
comment on column send_topic.partition_count is 'The topic''s partition count (topic.partition_count).';
comment on column send_topic.unchecked_bytes is 'Key and value bytes (together) up to which a record without headers is within max.message.bytes for sure: the effective max.message.bytes less 80 (a one-record batch''s 61-byte header and five varints at most).';
comment on column send_topic.keyless is 'Whether a record without a key is accepted: the effective cleanup.policy does not compact.';
