-- Answers: who leads each partition under which epoch, and what is every broker's replica state
-- (leader, follower, offline) for it? Also: which node is the controller?
--   select * from rowstream.replica_overview where topic = 'orders' order by partition, node_id;
--   select * from rowstream.controller_overview;
create or replace view replica_overview as
select t.name                           as topic,
       r.partition_id                   as partition,
       r.node_id,
       r.state,
       r.leader_epoch,
       p.leader_node_id                 as current_leader,
       p.leader_epoch                   as current_epoch,
       b.advertised_url,
       b.heartbeat_at                   as last_seen,
       b.lease_expires_at > now()       as broker_live,
       r.changed_at
from replica_state r
join topic_partition p using (topic_id, partition_id)
join topic t using (topic_id)
join broker b using (node_id);
comment on view replica_overview is 'Per partition and broker: replica state and epoch as the controller recorded them, the partition''s current leader and epoch, and the broker''s last heartbeat.';

create or replace view controller_overview as
select c.node_id,
       c.controller_epoch,
       c.elected_at,
       c.renewed_at,
       c.lease_expires_at,
       c.lease_expires_at > now() as active,
       b.advertised_url
from controller c
left join broker b using (node_id);
comment on view controller_overview is 'The controller: which node, since when, its epoch, and whether its lease is current (database clock).';
