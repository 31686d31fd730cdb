-- Tombstones of compacted topics wait delete.retention.ms from the cleaning pass that first kept
-- them (Kafka's KIP-534): that pass stamps the horizon into the batch header (base timestamp, with
-- attribute bit 0x40), and a later pass at or after it removes them. The batch stays the truth; the
-- segment row caches the earliest horizon among the tombstones it keeps, so that log maintenance
-- finds a partition nobody writes to any more whose tombstones are due without reading its chunks.

alter table segment add column if not exists delete_horizon_ms bigint;
comment on column segment.delete_horizon_ms is 'Compacted topics: the earliest delete horizon (ms since the epoch) stamped into a batch of this segment that still holds a tombstone; a cleaning pass from then on removes it. Null when the segment keeps no tombstone, or has not been cleaned yet.';

-- Segments cleaned before this migration: their stamped batches (attributes'' low byte is byte 22 of
-- a v2 batch; the base timestamp is bytes 27..34). A batch whose tombstone has since gone is
-- corrected by the next pass over its segment.
update segment s
   set delete_horizon_ms = h.horizon
  from (select c.topic_id, c.partition_id, c.segment_base_offset,
               min(('x' || encode(substring(c.batch from 28 for 8), 'hex'))::bit(64)::bigint) as horizon
          from chunk c
         where length(c.batch) >= 61 and get_byte(c.batch, 22) & 64 <> 0
         group by c.topic_id, c.partition_id, c.segment_base_offset) h
 where s.topic_id = h.topic_id and s.partition_id = h.partition_id and s.base_offset = h.segment_base_offset
   and s.delete_horizon_ms is null;
