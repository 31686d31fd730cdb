-- Kafka's binary protocol: each node says where Kafka clients reach it, and each topic gets the
-- UUID that Kafka's Metadata, Produce v13+ and Fetch v13+ name topics by.

alter table broker add column if not exists kafka_host text;
alter table broker add column if not exists kafka_port integer check (kafka_port between 1 and 65535);
comment on column broker.kafka_host is 'Host Kafka clients reach this node''s Kafka listener at (ROWSTREAM_KAFKA_ADVERTISED); null when the node has no Kafka listener.';
comment on column broker.kafka_port is 'Port of the advertised Kafka listener; null when the node has no Kafka listener.';

alter table topic add column if not exists topic_uuid uuid not null default gen_random_uuid();
alter table topic add constraint topic_topic_uuid_key unique (topic_uuid);
comment on column topic.topic_uuid is 'Kafka''s topic id (a UUID, never the zero UUID): Kafka clients name the topic by it in Produce v13+ and Fetch v13+. A topic created again under the same name gets a new one, as in Kafka.';
