/**
 * Log compaction ({@code cleanup.policy=compact}), the pure part: which records of a partition's
 * rolled segments stay, and the rewritten v2 batches, with no database. Public face:
 * {@link io.rowstream.cleaner.CleanerPass} (plan a pass, then filter chunk by chunk),
 * {@link io.rowstream.cleaner.OffsetMap} (the bounded key → latest offset map),
 * {@link io.rowstream.cleaner.TombstoneRetention} and {@link io.rowstream.cleaner.CompactedBatch}.
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
 *       clean part), and it is not a tombstone whose batch's delete horizon has come. Keyless
 *       records go, as in Kafka. Offsets never change: a rewritten batch keeps its base offset and
 *       its last offset delta, so gaps appear inside and between batches exactly as in Kafka.
 *   <li>Batches are rewritten by kafka-clients' {@code MemoryRecords.filterTo}, Kafka's own code:
 *       producer id, epoch and base sequence, timestamp type, leader epoch and codec are kept.
 *   <li>The delete horizon is Kafka's (KIP-534), kept where Kafka keeps it: the first pass that
 *       keeps a tombstone stamps {@code now + delete.retention.ms} into its batch's header (base
 *       timestamp, delete-horizon attribute bit; {@code filterTo} writes it), and a pass at or after
 *       that horizon removes the tombstone. The batch is the truth because it is what Kafka's
 *       consumers and tools will be handed byte for byte; the segment row only caches the earliest
 *       horizon of its kept tombstones ({@code segment.delete_horizon_ms}), so that maintenance
 *       finds a quiet partition whose tombstones are due without reading its batches.
 *   <li>A batch left empty is dropped whole (Kafka may keep an empty batch for an idempotent
 *       producer's last sequence; Rowstream keeps sequences in {@code producer_sequence}).
 *       Transactional and control batches are refused: Rowstream writes none.
 * </ul>
 */
package io.rowstream.cleaner;
