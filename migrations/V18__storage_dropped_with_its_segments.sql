-- Retention now drops a segment's table in the transaction that deletes the segment row (after
-- detaching it from chunk with DETACH PARTITION ... CONCURRENTLY while the segment still points
-- to it), so the chunk storage shrinks together with what is retained instead of some time later.
--
-- This corrects what V15 says inside read_chunks: DETACH ... CONCURRENTLY waits for the
-- transactions that lock chunk, not for every snapshot that can still see a segment, and fetches
-- address a segment's table by name without locking chunk. Since V15, then, a statement whose
-- snapshot saw a segment could find its table dropped; it still can. It fails with SQLSTATE 42P01
-- (undefined_table) and nothing else happens: run again, it takes a new snapshot, which sees the
-- new log start (retention) or the segment's new table (compaction). The broker's readers do so.

comment on function read_chunks(bigint, integer, bigint, bigint, integer) is
    'Reads a partition from offset p_from: returns its log start and end offsets, and, when p_from lies in '
    '[start, end), the chunk holding p_from and the following ones in offset order while the bytes before each '
    'are under p_max_bytes (at least one chunk, at most p_max_chunks). One row with a null batch when there is '
    'nothing to return; no rows when the partition does not exist. Runs on the caller''s snapshot (STABLE). '
    'Fails with SQLSTATE 42P01 when maintenance dropped a segment''s table after that snapshot was taken: '
    'call it again (in a new transaction under REPEATABLE READ).';

comment on table chunk_storage is 'A row per physical table of chunks (rowstream_chunks.s<storage_id>, a partition of chunk). Retention detaches the tables of the segments it deletes and drops them in the same transaction as the segment rows; a storage that no segment points to otherwise (replaced by compaction, of a deleted topic) is detached and dropped by maintenance.';
