-- Answers: which broker nodes exist, where do they listen, and are they live (lease not expired,
-- by the database clock)?
--   select * from rowstream.broker_overview where live;
create or replace view broker_overview as
select node_id,
       advertised_url,
       started_at,
       heartbeat_at,
       lease_expires_at,
       lease_expires_at > now() as live
from broker;
comment on view broker_overview is 'Per broker node: address, start, last heartbeat, lease expiry and liveness (database clock).';
