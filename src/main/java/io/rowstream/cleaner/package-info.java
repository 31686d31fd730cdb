/**
 * Log compaction ({@code cleanup.policy=compact}), the pure part: which records of a partition's
 * rolled segments stay, and the rewritten v2 batches, with no database. Public face:
 * {@link io.rowstream.cleaner.CleanerPass} (plan a pass, then filter chunk by chunk),
 * {@link io.rowstream.cleaner.OffsetMap} (the bounded key → latest offset map),
 * {@link io.rowstream.cleaner.DeleteHorizon} and {@link io.rowstream.cleaner.CompactedBatch}.
 *
 * <p>Decisions, and where they depart from Kafka's log cleaner:
 *
 * <ul>
 *   <li>A pass maps the dirty range (first uncleaned offset up to the active segment) whole batch
 *       by whole batch; when the map is full it stops at a batch boundary, the cleanable end, and
 *       the pass cleans only below it. Kafka stops at a segment boundary; a batch is our unit of
 *       storage, so the next pass resumes from any chunk.
 *   <li>A record below the cleanable end stays iff it has a key, its offset is at least the map's
 *       latest offset for its key (a key absent from the map stays: its latest record is in the
 *       clean part), and it is not a tombstone whose chunk is past its delete horizon. Keyless
 *       records go, as in Kafka. Offsets never change: a rewritten batch keeps its base offset and
 *       its last offset delta, so gaps appear inside and between batches exactly as in Kafka.
 *   <li>Batches are rewritten by kafka-clients' {@code MemoryRecords.filterTo}, Kafka's own code:
 *       producer id, epoch and base sequence, timestamp type, leader epoch and codec are kept.
 *   <li>The delete horizon is per chunk: {@code appended_at + delete.retention.ms}, decided from
 *       the chunk row. Kafka (KIP-534) instead starts the clock when a cleaning pass first sees the
 *       tombstone and stamps that time into the batch header. {@code filterTo} still stamps a
 *       header when it keeps a tombstone; we make it stamp the chunk's own horizon, so the header
 *       agrees with our rule, but the rule never reads it.
 *   <li>A batch left empty is dropped whole (Kafka may keep an empty batch for an idempotent
 *       producer's last sequence; Rowstream keeps sequences in {@code producer_sequence}).
 *       Transactional and control batches are refused: Rowstream writes none.
 * </ul>
 */
package io.rowstream.cleaner;
