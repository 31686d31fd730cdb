-- Records sent from SQL (rowstream.send, sql/R__send_functions.sql): each call inserts a row here
-- in the caller's own transaction, so the record exists exactly when that transaction commits.
-- The nodes move committed rows into the log (append_chunks) and delete them in the same
-- transaction, so every row becomes exactly one record of the log. A row is pending between its
-- sender's commit and its move; sent_record_overview shows how many wait and for how long.
--
-- No foreign key to topic: the check would share-lock the topic row on every send (multixacts on
-- one hot row under concurrent senders). A topic deleted meanwhile leaves rows the movers delete;
-- a topic created again under the same name has a new id, so none of them reach it.

create table if not exists sent_record (
    topic_id     bigint      not null,
    partition_id integer     not null check (partition_id >= 0),
    sender_xid   xid8        not null default pg_current_xact_id(),
    send_id      bigint      generated always as identity,
    key          bytea,
    value        bytea,
    headers      jsonb       check (headers is null or jsonb_typeof(headers) = 'object'),
    timestamp_ms bigint      not null check (timestamp_ms >= 0),
    sent_at      timestamptz not null default clock_timestamp(),
    -- The movers' order: a partition's rows by sender transaction, then call order. One index
    -- serves the move (a range of one partition, in order) and the scan for partitions with rows.
    primary key (topic_id, partition_id, sender_xid, send_id)
);
comment on table sent_record is 'Records sent from SQL by rowstream.send and not yet moved into the log: a row appears when its sender''s transaction commits and is deleted by the transaction that appends it to its partition (exactly once).';
comment on column sent_record.topic_id is 'The topic the record was sent to (topic.topic_id when it was sent; rows of a deleted topic are dropped by the movers).';
comment on column sent_record.partition_id is 'The partition chosen at the send: the one named, else murmur2 of the key (Kafka''s partitioner), else one per sender transaction.';
comment on column sent_record.sender_xid is 'The sender''s top-level transaction id (pg_current_xact_id()): records move in this order, so a transaction that began after another committed has its records after that one''s.';
comment on column sent_record.send_id is 'Call order within the sender''s transaction (increasing within a session).';
comment on column sent_record.key is 'Record key; null for none.';
comment on column sent_record.value is 'Record value; null for a tombstone.';
comment on column sent_record.headers is 'Record headers as a JSON object of name -> string or null (UTF-8 bytes of the string), checked at the send; null for none.';
comment on column sent_record.timestamp_ms is 'Record timestamp (CreateTime), ms since the epoch: the one given, else the time of the send.';
comment on column sent_record.sent_at is 'When rowstream.send was called (database clock); the age of the oldest pending record is measured from it.';

-- The role a database role is granted to call rowstream.send (grant rowstream_sender to app).
-- Roles belong to the PostgreSQL cluster, not to this database: created once, kept if there.
-- A migrating user without CREATEROLE gets a notice, and an administrator creates it by hand
-- (create role rowstream_sender nologin) before the next start; R__send_functions.sql grants to it.
do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'rowstream_sender') then
        begin
            create role rowstream_sender nologin;
        exception when insufficient_privilege then
            raise notice 'cannot create role rowstream_sender (no CREATEROLE): create it by hand to let roles call rowstream.send';
        end;
    end if;
end
$$;
