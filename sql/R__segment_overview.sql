-- Answers: which segments make up a partition's log, how big are they, what time range do they
-- cover, and which one is active (still taking appends)?
--   select * from rowstream.segment_overview where topic = 'orders' and partition = 0;
create or replace view segment_overview as
select t.name                                   as topic,
       s.partition_id                           as partition,
       s.base_offset,
       s.next_offset,
       s.record_count,
       s.size_bytes,
       to_timestamp(s.min_timestamp_ms / 1000.0) as min_timestamp,
       to_timestamp(s.max_timestamp_ms / 1000.0) as max_timestamp,
       s.created_at,
       s.rolled_at,
       s.rolled_at is null                      as active
from segment s
join topic t using (topic_id);
comment on view segment_overview is 'Per segment: offset range, records, bytes, record time range, and whether it is the active segment.';
