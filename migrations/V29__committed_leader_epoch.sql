-- The committed leader epoch (Kafka's KIP-320): a Kafka consumer commits, with an offset, the
-- leader epoch of the last record it consumed, and a consumer that resumes from the commit checks
-- with OffsetForLeaderEpoch that the log has not been truncated under it since. Without the
-- column OffsetFetch answered -1 and clients skipped that check.

alter table committed_offset add column if not exists leader_epoch integer check (leader_epoch >= 0);
comment on column committed_offset.leader_epoch is 'Leader epoch of the last record consumed before the offset, as the committing Kafka client gave it (OffsetCommit v6+); null when the commit carried none (an HTTP commit, or a Kafka client that sent -1).';
