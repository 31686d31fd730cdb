-- Answers: what has each consumer group committed, per partition, and when?
-- committed_offset is the next offset the group will read (Kafka convention).
--   select * from rowstream.committed_offset_overview where "group" = 'billing' order by topic, partition;
create or replace view committed_offset_overview as
select o.group_name        as "group",
       t.name              as topic,
       o.partition_id      as partition,
       o.committed_offset,
       o.metadata,
       o.generation,
       o.committed_at,
       o.leader_epoch
from committed_offset o
join topic t using (topic_id);
comment on view committed_offset_overview is 'Per group and partition: committed offset (next to read), metadata, generation, time of the commit and the committed leader epoch (null when the commit carried none).';
