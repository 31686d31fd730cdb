-- Answers: who may do what? One row per ACL binding, in the words of kafka-acls, with the
-- resources it covers today (topics and groups that exist and match it).
--   select * from rowstream.acl_overview where principal = 'User:alice';
--   select * from rowstream.acl_overview where 'orders' = any(matching_topics);
create or replace view acl_overview as
select a.acl_id,
       a.principal,
       a.permission,
       a.operation,
       a.resource_type,
       a.pattern_type,
       a.resource_name,
       a.host,
       case when a.resource_type = 'TOPIC' then
           array(select t.name from topic t
                 where (a.pattern_type = 'LITERAL' and (a.resource_name = '*' or t.name = a.resource_name))
                    or (a.pattern_type = 'PREFIXED' and starts_with(t.name, a.resource_name))
                 order by t.name)
       end as matching_topics,
       case when a.resource_type = 'GROUP' then
           array(select g.group_name from consumer_group g
                 where (a.pattern_type = 'LITERAL' and (a.resource_name = '*' or g.group_name = a.resource_name))
                    or (a.pattern_type = 'PREFIXED' and starts_with(g.group_name, a.resource_name))
                 order by g.group_name)
       end as matching_groups,
       a.created_at
from acl a;
comment on view acl_overview is 'Per ACL binding: principal, ALLOW/DENY, operation, resource pattern, host, and the topics or groups it matches now.';
