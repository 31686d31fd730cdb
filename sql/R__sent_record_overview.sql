-- Answers: how many records sent from SQL (rowstream.send) wait to be moved into the log, per
-- topic and partition, and how long has the oldest waited? Rows appear when their sender's
-- transaction commits and leave when a node appends them; a backlog that grows, or an oldest age of
-- more than a few seconds, means no node moves that partition (is any node running? does one
-- lead it?).
--   select * from rowstream.sent_record_overview order by oldest_age_seconds desc;
-- The /metrics endpoint exposes the same figures as rowstream_sent_records_pending and
-- rowstream_sent_records_oldest_age_seconds (tags topic, partition).
--
-- Moved rows stay in sent_record until their slot is emptied; a row waits while its partition's
-- sent_progress does not count it as moved (sent_record_moved). Only rows from the partition's
-- last move snapshot's xmin on can wait, so each partition is read from there (an index range),
-- the partitions found by a walk of the index (one probe per partition with rows). During a batch
-- that moves in several transactions, two ranges: after the batch's last moved transaction, and up
-- to it from the batch snapshot's xmin (what finished after that snapshot), so that the rows the
-- batch already moved are not read.
create or replace view sent_record_partition as
with recursive p as (
    (select topic_id, partition_id from sent_record order by topic_id, partition_id limit 1)
    union all
    select n.topic_id, n.partition_id from p cross join lateral (
        select s.topic_id, s.partition_id from sent_record s
         where (s.topic_id, s.partition_id) > (p.topic_id, p.partition_id)
         order by s.topic_id, s.partition_id limit 1) n)
select topic_id, partition_id from p;
comment on view sent_record_partition is 'The partitions with rows in sent_record (moved or not), by a walk of its index: one probe per partition, however many rows it has.';

create or replace view sent_record_overview as
select t.name                                                          as topic,
       p.partition_id                                                  as partition,
       w.pending_records,
       w.pending_bytes,
       w.oldest_sent_at,
       greatest(extract(epoch from clock_timestamp() - w.oldest_sent_at), 0)::double precision as oldest_age_seconds
from sent_record_partition p
join topic t using (topic_id)
left join sent_progress g using (topic_id, partition_id)
cross join lateral (
    select count(*) as pending_records,
           sum(coalesce(octet_length(u.key), 0) + coalesce(octet_length(u.value), 0))::bigint as pending_bytes,
           min(u.sent_at) as oldest_sent_at
      from (select s.key, s.value, s.sent_at from sent_record s
             where s.topic_id = p.topic_id and s.partition_id = p.partition_id
               and s.sender_xid >= coalesce(pg_snapshot_xmin(g.moved_snapshot), '0'::xid8)
               and s.sender_xid > coalesce(g.batch_xid, '0'::xid8)
               and not sent_record_moved(s.sender_xid, g.moved_snapshot, g.batch_snapshot, g.batch_xid)
            union all
            select s.key, s.value, s.sent_at from sent_record s
             where s.topic_id = p.topic_id and s.partition_id = p.partition_id
               and s.sender_xid >= greatest(pg_snapshot_xmin(g.moved_snapshot), pg_snapshot_xmin(g.batch_snapshot))
               and s.sender_xid <= g.batch_xid
               and not sent_record_moved(s.sender_xid, g.moved_snapshot, g.batch_snapshot, g.batch_xid)) u) w
where w.pending_records > 0;
comment on view sent_record_overview is 'Per topic and partition: records sent from SQL and not yet moved into the log (pending_records, pending_bytes) and the age of the oldest (from its rowstream.send call).';
