-- A partition costs no relation until it is written.
--
-- Until now creating a partition opened its first segment with a storage table of its own
-- (rowstream_chunks.s<storage_id>: a heap, its primary key index and a TOAST table with its index),
-- and retention left an empty active segment with a new table after deleting a quiet partition's
-- last records. 6,000 empty partitions cost ~24,000 relations and ~280 MB, and a topic of 10,000
-- partitions could not be created at all (the 20,000+ relations of one transaction filled the lock
-- table: "out of shared memory").
--
-- From now on a segment exists only once something was appended to it: append_chunks opens the
-- active segment, with its storage, at a partition's first append and at the first append after
-- retention rolled the active segment (R__log_functions.sql, R__segment_functions.sql). A segment
-- row still always names a storage that exists, so every reader walks segments as before and reads
-- a partition without segments as empty.
--
-- This migration removes the empty active segments existing databases hold (one per never-written
-- partition, one per partition whose records all expired), under each partition's row lock as
-- appends take it, so that an append running meanwhile either wrote into the segment first (then
-- the segment is not empty and stays) or waits and opens a new one. Their storages are then
-- referenced by no segment, and log maintenance detaches and drops them in its next passes
-- (StorageDropper.dropUnreferenced, 100 per pass), without a long lock here.
with locked as (
    select p.topic_id, p.partition_id, p.log_end_offset
      from topic_partition p
       for update
)
delete from segment s
 using locked l
 where s.topic_id = l.topic_id
   and s.partition_id = l.partition_id
   and s.rolled_at is null
   and s.base_offset = l.log_end_offset
   and s.next_offset = s.base_offset
   and s.record_count = 0;

comment on table segment is 'A row per log segment of a partition: a run of consecutive chunks, rolled by segment.bytes / segment.ms and deleted whole by retention. A partition has none until its first append (and none again after retention rolled and deleted its last one, until its next append): an empty partition costs no segment and no storage.';
comment on column segment.created_at is 'When the segment was opened, by the append of its first chunk.';
