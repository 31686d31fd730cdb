-- Answers: how far behind is each consumer group, per partition it has committed in?
-- lag = log end offset - committed offset; owner is the member that owns the partition now (null: nobody).
--   select sum(lag) from rowstream.consumer_lag_overview where "group" = 'billing' and topic = 'orders';
create or replace view consumer_lag_overview as
select o.group_name                           as "group",
       t.name                                 as topic,
       o.partition_id                         as partition,
       o.committed_offset,
       p.log_end_offset,
       greatest(p.log_end_offset - o.committed_offset, 0) as lag,
       owner.member_id,
       owner.instance_id
from committed_offset o
join topic t using (topic_id)
join topic_partition p using (topic_id, partition_id)
left join lateral (
    select i.member_id, i.instance_id
    from consumer_assignment a
    join consumer_instance i using (group_name, instance_id)
    where a.group_name = o.group_name and a.topic_id = o.topic_id and a.partition_id = o.partition_id
    order by a.generation is null, i.instance_id
    limit 1) owner on true;
comment on view consumer_lag_overview is 'Per group and committed partition: committed offset, log end offset, lag (end - committed) and the member owning the partition now.';
