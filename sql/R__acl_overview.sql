-- Answers: who may do what? One row per ACL binding, in the words of kafka-acls, with the
-- topics or groups it covers today (those that exist and match its name or prefix).
--   select * from rowstream.acl_overview where principal = 'User:alice';
--   select * from rowstream.acl_overview where resource_type = 'TOPIC' and 'orders' = any(matching_resources);
create or replace view acl_overview as
select a.acl_id,
       a.principal,
       a.permission,
       a.operation,
       a.resource_type,
       a.pattern_type,
       a.resource_name,
       a.host,
       m.names as matching_resources,
       a.created_at
from acl a
left join lateral (
    select array_agg(r.name order by r.name) as names
    from (select t.name from topic t where a.resource_type = 'TOPIC'
          union all
          select g.group_name from consumer_group g where a.resource_type = 'GROUP') r
    where (a.pattern_type = 'LITERAL' and (a.resource_name = '*' or r.name = a.resource_name))
       or (a.pattern_type = 'PREFIXED' and starts_with(r.name, a.resource_name))
) m on true;
comment on view acl_overview is 'Per ACL binding: principal, ALLOW/DENY, operation, resource pattern, host, and the topics or groups it matches now (null for the cluster, or when none match).';
