-- Distributes Rowstream's tables and log functions on a Citus coordinator as docs/scaling.md,
-- section 2, describes: small tables as reference tables, the log tables by topic_id in one
-- colocation group of citus.shard_count shards (:shards, a few per worker), the log functions
-- delegated by their topic id. ON PAPER: only CitusCompatibilityTest has run it, against the
-- cluster of docker-compose.citus.yml. Run after keys.sql, on the coordinator:
--   psql -v shards=4 -f docker/citus/keys.sql -f docker/citus/distribute.sql
-- Needs the coordinator in Citus' metadata (citus_set_coordinator_host), so that tables left on
-- the coordinator may keep their foreign keys to reference tables.
\set ON_ERROR_STOP on

-- Referenced tables first: a foreign key may point from a distributed table to a reference table.
select create_reference_table('rowstream.cluster');
select create_reference_table('rowstream.cluster_config');
select create_reference_table('rowstream.broker');
select create_reference_table('rowstream.controller');
select create_reference_table('rowstream.topic');
select create_reference_table('rowstream.send_topic');
select create_reference_table('rowstream.auth_user');
select create_reference_table('rowstream.auth_api_key');
select create_reference_table('rowstream.acl');
select create_reference_table('rowstream.producer');
select create_reference_table('rowstream.consumer_group');
select create_reference_table('rowstream.consumer_instance');
select create_reference_table('rowstream.classic_member');

-- The log colocation group, by topic_id.
select create_distributed_table('rowstream.topic_partition', 'topic_id', colocate_with => 'none',
                                shard_count => :shards);
select create_distributed_table('rowstream.chunk_storage', 'topic_id', colocate_with => 'rowstream.topic_partition');
select create_distributed_table('rowstream.segment', 'topic_id', colocate_with => 'rowstream.topic_partition');
select create_distributed_table('rowstream.chunk', 'topic_id', colocate_with => 'rowstream.topic_partition');
select create_distributed_table('rowstream.producer_sequence', 'topic_id', colocate_with => 'rowstream.topic_partition');
select create_distributed_table('rowstream.replica_state', 'topic_id', colocate_with => 'rowstream.topic_partition');
select create_distributed_table('rowstream.sent_record', 'topic_id', colocate_with => 'rowstream.topic_partition');
select create_distributed_table('rowstream.sent_progress', 'topic_id', colocate_with => 'rowstream.topic_partition');
select create_distributed_table('rowstream.committed_offset', 'topic_id', colocate_with => 'rowstream.topic_partition');
select create_distributed_table('rowstream.consumer_assignment', 'topic_id', colocate_with => 'rowstream.topic_partition');
select create_distributed_table('rowstream.consumer_target_assignment', 'topic_id',
                                colocate_with => 'rowstream.topic_partition');

-- The log functions, delegated to the worker holding the topic's shard (their first argument).
select create_distributed_function(p.oid::regprocedure, 'p_topic_id', colocate_with => 'rowstream.topic_partition',
                                   force_delegation => true)
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
 where n.nspname = 'rowstream' and p.proname in ('append_chunks', 'read_chunks', 'roll_active_segment');
