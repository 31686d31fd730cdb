-- Answers: for every partition, where does its log start and end, how many records and bytes
-- does it hold, who leads it, and how many segments does it have?
--   select * from rowstream.partition_overview where topic = 'orders';
create or replace view partition_overview as
select t.name                                   as topic,
       p.partition_id                           as partition,
       p.log_start_offset,
       p.log_end_offset,
       p.log_end_offset - p.log_start_offset    as records,
       coalesce(s.bytes, 0)                     as bytes,
       coalesce(s.segments, 0)                  as segments,
       p.leader_node_id,
       p.leader_epoch
from topic_partition p
join topic t using (topic_id)
left join (select topic_id, partition_id, sum(size_bytes) as bytes, count(*) as segments
           from segment group by topic_id, partition_id) s using (topic_id, partition_id);
comment on view partition_overview is 'Per partition: log start/end offsets, records and bytes retained, segments, leader and epoch.';
