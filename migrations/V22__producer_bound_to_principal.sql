-- An idempotent producer id belongs to the principal that created it (POST /producers): another
-- principal may neither produce with it nor bump its epoch (which would fence the owner), as Kafka
-- binds a transactional id to the principals its ACLs allow. Ids are drawn at random by the
-- broker (positive 63-bit values) instead of from an identity, so that one cannot be guessed from
-- another.

alter table producer add column if not exists principal text not null default 'User:ANONYMOUS';
-- Rows from before this migration belong to User:ANONYMOUS (every caller when authentication is
-- off); with authentication on their producers must ask for a new id. New rows name their owner.
alter table producer alter column principal drop default;
alter table producer alter column producer_id drop identity if exists;

comment on column producer.principal is 'Principal that created the producer id (User:name; User:ANONYMOUS with authentication off): only it may produce with the id or bump its epoch.';
comment on column producer.producer_id is 'Kafka producer id, given out by POST /producers: a random positive 63-bit value chosen by the broker (not a sequence, so that ids cannot be guessed).';
