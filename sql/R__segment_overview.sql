-- Answers: which segments make up a partition's log, how big are they, what time range do they
-- cover, which one is active (still taking appends), and how much disk does each take?
--   select * from rowstream.segment_overview where topic = 'orders' and partition = 0;
create or replace view segment_overview as
select t.name                                   as topic,
       s.partition_id                           as partition,
       s.base_offset,
       s.next_offset,
       s.record_count,
       s.size_bytes,
       case when s.min_timestamp_ms >= 9224318016000000 then 'infinity'::timestamptz  -- past 294276 AD
            else to_timestamp(s.min_timestamp_ms / 1000.0) end as min_timestamp,
       case when s.max_timestamp_ms >= 9224318016000000 then 'infinity'::timestamptz  -- past 294276 AD
            else to_timestamp(s.max_timestamp_ms / 1000.0) end as max_timestamp,
       s.created_at,
       s.rolled_at,
       s.rolled_at is null                      as active,
       s.storage_id,
       to_regclass(format('rowstream_chunks.%I', 's' || s.storage_id)) as storage_table,
       pg_total_relation_size(to_regclass(format('rowstream_chunks.%I', 's' || s.storage_id))) as storage_bytes
from segment s
join topic t using (topic_id);
comment on view segment_overview is 'Per segment: offset range, records, bytes of record batches, record time range, whether it is the active segment, and the table holding its chunks with its size on disk (heap, TOAST and index).';
