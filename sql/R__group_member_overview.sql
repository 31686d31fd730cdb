-- Answers: which members does each consumer group have, what do they subscribe to, which
-- partitions do they own, and is their lease still running?
--   select * from rowstream.group_member_overview where "group" = 'billing';
create or replace view group_member_overview as
select g.group_name                                  as "group",
       g.state,
       g.generation                                  as group_generation,
       g.assignor,
       i.instance_id,
       i.member_id,
       coalesce(array_to_string(i.subscribed_topics, ','), i.subscribed_pattern) as subscription,
       case when i.subscribed_pattern is not null then 'pattern'
            when i.subscribed_topics is not null then 'topics'
            when exists (select 1 from consumer_assignment a
                         where a.group_name = i.group_name and a.instance_id = i.instance_id) then 'manual'
            else 'none' end                          as mode,
       i.generation                                  as seen_generation,
       (select coalesce(array_agg(t.name || '-' || a.partition_id order by t.name, a.partition_id), '{}')
        from consumer_assignment a join topic t using (topic_id)
        where a.group_name = i.group_name and a.instance_id = i.instance_id) as partitions,
       i.lease_expires_at,
       i.lease_expires_at > now()                    as live,
       i.last_seen_at
from consumer_group g
left join consumer_instance i using (group_name);
comment on view group_member_overview is 'Per group and member: group state, generation and assignor; the member''s subscription, owned partitions (topic-partition) and lease.';
