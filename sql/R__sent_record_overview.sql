-- Answers: how many records sent from SQL (rowstream.send) wait to be moved into the log, per
-- topic and partition, and how long has the oldest waited? Rows appear when their sender's
-- transaction commits and leave when a node appends them; a backlog that grows, or an oldest age of
-- more than a few seconds, means no node moves that partition (is any node running? does one
-- lead it?).
--   select * from rowstream.sent_record_overview order by oldest_age_seconds desc;
-- The /metrics endpoint exposes the same figures as rowstream_sent_records_pending and
-- rowstream_sent_records_oldest_age_seconds (tags topic, partition).
create or replace view sent_record_overview as
select t.name                                                          as topic,
       s.partition_id                                                  as partition,
       count(*)                                                        as pending_records,
       sum(coalesce(octet_length(s.key), 0) + coalesce(octet_length(s.value), 0))::bigint as pending_bytes,
       min(s.sent_at)                                                  as oldest_sent_at,
       greatest(extract(epoch from clock_timestamp() - min(s.sent_at)), 0)::double precision as oldest_age_seconds
from sent_record s
join topic t using (topic_id)
group by t.name, s.partition_id;
comment on view sent_record_overview is 'Per topic and partition: records sent from SQL and not yet moved into the log (pending_records, pending_bytes) and the age of the oldest (from its rowstream.send call).';
