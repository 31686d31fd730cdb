-- Answers: which record batches (chunks) hold which offsets, when were they appended, and how
-- large are they? The batch bytes themselves are in rowstream.chunk.batch (Kafka v2 format).
--   select * from rowstream.chunk_overview where topic = 'orders' and partition = 0
--   order by base_offset desc limit 10;
create or replace view chunk_overview as
select t.name                                    as topic,
       c.partition_id                            as partition,
       c.base_offset,
       c.last_offset,
       c.record_count,
       c.size_bytes,
       case when c.min_timestamp_ms >= 9224318016000000 then 'infinity'::timestamptz  -- past 294276 AD
            else to_timestamp(c.min_timestamp_ms / 1000.0) end as min_timestamp,
       case when c.max_timestamp_ms >= 9224318016000000 then 'infinity'::timestamptz  -- past 294276 AD
            else to_timestamp(c.max_timestamp_ms / 1000.0) end as max_timestamp,
       c.segment_base_offset,
       c.storage_id,
       c.appended_at
from chunk c
join topic t using (topic_id);
comment on view chunk_overview is 'Per appended record batch: offsets, records, bytes, record time range, segment and its storage, append time.';
