-- Records sent from SQL are no longer deleted as they are moved into the log. A delete per moved
-- row left a dead row and dead index entries per record; under a backlog every move walked over
-- the dead entries of the moves before it (seconds a piece, seen), and vacuum chased the table.
-- Instead, as PgQ does:
--
-- * sent_record is split into three slots (list partitions sent_record_0..2). rowstream.send
--   writes into the slot of its transaction's start time (sent_record_slot: ten seconds each, in
--   turn), and a node empties a slot with TRUNCATE, whole, once every row in it was moved and it is
--   not the one being written (sql/R__send_functions.sql, send.SentRecordMover).
-- * sent_progress says, per partition, which sender transactions have been moved: every one that
--   had finished when the last move took its snapshot (pg_current_snapshot()), plus, while a large
--   batch moves in several transactions, those of the next snapshot up to a transaction id
--   (sent_record_moved). A move takes the transactions that finished since, in transaction id
--   order, and stores its snapshot in the transaction that appends them: each row lands once.
--
-- Rows waiting when this runs are kept: with no progress yet, none of them counts as moved. Nodes
-- of an older version move by deleting; stop them before starting this one.

drop view if exists sent_record_overview;
alter table sent_record rename to sent_record_v30;

create sequence if not exists sent_record_send_id as bigint;
comment on sequence sent_record_send_id is 'Call order of rowstream.send (sent_record.send_id).';

create table sent_record (
    slot         smallint    not null,
    topic_id     bigint      not null,
    partition_id integer     not null,
    sender_xid   xid8        not null default pg_current_xact_id(),
    send_id      bigint      not null default nextval('sent_record_send_id'),
    key          bytea,
    value        bytea,
    headers      jsonb,
    timestamp_ms bigint,
    sent_at      timestamptz not null default clock_timestamp()
) partition by list (slot);
alter sequence sent_record_send_id owned by sent_record.send_id;

-- No constraints: rowstream.send checks what it stores (send_check), and a check constraint costs
-- every send its set-up (it is prepared again per statement of a PL/pgSQL function).
create table sent_record_0 partition of sent_record for values in (0);
create table sent_record_1 partition of sent_record for values in (1);
create table sent_record_2 partition of sent_record for values in (2);

-- The movers' order: a partition's rows by sender transaction, then call order. Not unique (a
-- unique index of a partitioned table must hold the slot); send_id comes from one sequence.
create index sent_record_move on sent_record (topic_id, partition_id, sender_xid, send_id);

insert into sent_record (slot, topic_id, partition_id, sender_xid, send_id, key, value, headers,
                         timestamp_ms, sent_at)
select 0, topic_id, partition_id, sender_xid, send_id, key, value, headers, timestamp_ms, sent_at
  from sent_record_v30;
select setval('sent_record_send_id', greatest((select max(send_id) from sent_record_v30), 1));
drop table sent_record_v30;

comment on table sent_record is 'Records sent from SQL by rowstream.send: a row appears when its sender''s transaction commits; a node appends it to its partition once (sent_progress says which are moved), and its slot is emptied whole once all of its rows are.';
comment on column sent_record.slot is 'Which of the three partitions (sent_record_0..2) holds the row: sent_record_slot of the sender transaction''s start time.';
comment on column sent_record.topic_id is 'The topic the record was sent to (topic.topic_id when it was sent; rows of a deleted topic are never moved).';
comment on column sent_record.partition_id is 'The partition chosen at the send: the one named, else murmur2 of the key (Kafka''s partitioner), else one per sender transaction.';
comment on column sent_record.sender_xid is 'The sender''s top-level transaction id (pg_current_xact_id()): records move in this order, so a transaction that began after another committed has its records after that one''s.';
comment on column sent_record.send_id is 'Call order (sequence sent_record_send_id, increasing within a session).';
comment on column sent_record.key is 'Record key; null for none.';
comment on column sent_record.value is 'Record value; null for a tombstone.';
comment on column sent_record.headers is 'Record headers as a JSON object of name -> string or null (UTF-8 bytes of the string), checked at the send; null for none.';
comment on column sent_record.timestamp_ms is 'Record timestamp (CreateTime), ms since the epoch, as given to rowstream.send; null when none was given: the record then takes the time of the send (sent_at).';
comment on column sent_record.sent_at is 'When rowstream.send was called (database clock); the age of the oldest pending record is measured from it.';

create table sent_progress (
    topic_id        bigint      not null,
    partition_id    integer     not null,
    moved_snapshot  pg_snapshot not null,
    batch_snapshot  pg_snapshot,
    batch_xid       xid8,
    primary key (topic_id, partition_id),
    check ((batch_snapshot is null) = (batch_xid is null))
);
comment on table sent_progress is 'Per partition, which records sent from SQL have been moved into the log (sent_record_moved): written by the transaction that appends them, locked by movers so that they take turns. No row: none yet.';
comment on column sent_progress.topic_id is 'The topic (topic.topic_id); a row of a deleted topic is never read again.';
comment on column sent_progress.partition_id is 'The partition.';
comment on column sent_progress.moved_snapshot is 'Every sender transaction that had finished in this snapshot (pg_visible_in_snapshot) has had its rows moved.';
comment on column sent_progress.batch_snapshot is 'While a batch moves in several transactions: the snapshot it moves up to; null otherwise.';
comment on column sent_progress.batch_xid is 'While a batch moves: the sender transactions finished in batch_snapshot up to this id have been moved too; null otherwise.';
