-- Compaction (cleanup.policy=compact) cleans a partition's log pass by pass; like Kafka's
-- cleaner-offset-checkpoint file, each partition remembers where the part not yet cleaned begins.

alter table topic_partition add column cleaner_checkpoint bigint not null default 0
    check (cleaner_checkpoint >= 0);
comment on column topic_partition.cleaner_checkpoint is 'Compacted topics: the first offset not yet cleaned (Kafka''s cleaner checkpoint). The next compaction pass maps the keys from here up to the active segment, then rewrites the rolled segments below the end it reached.';
