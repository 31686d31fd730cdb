/**
 * REST Proxy v2 consumer instances, kept as rows so that any node serves any instance and an
 * instance outlives the node that created it. An instance either assigns partitions itself
 * (below) or subscribes, and then the {@code group} package (its coordinator, rebalances and
 * reaper) decides what it owns and fences its commits.
 *
 * <p>Decisions, and where they depart from Confluent's REST Proxy:
 *
 * <ul>
 *   <li>{@code consumer_instance} holds the configuration; {@code consumer_assignment} a row per
 *       assigned partition with its position (next offset to fetch, null until a seek or
 *       auto.offset.reset sets it). Deleting an instance deletes its assignment by cascade.
 *   <li>{@code POST …/assignments} replaces the assignment as Kafka's {@code assign} does: partitions
 *       kept keep their positions. It is checked as a whole first (40401, 40402), so a refusal
 *       writes nothing.
 *   <li>Seeks apply to assigned partitions only (40903, nothing moved). {@code positions/beginning}
 *       and {@code /end} resolve the offset at once; an empty list means every assigned partition,
 *       as Kafka's {@code seekToBeginning(emptyList)}. {@code POST …/positions} with
 *       {@code "timestamps"} seeks to the first record at or after each time (ISO-8601 or ms).
 *   <li>A read first applies auto.offset.reset in one UPDATE (no position, or one outside [log
 *       start, log end]); with {@code none} it refuses (400/40002) until the client seeks. It then
 *       long-polls all assigned partitions, returns as soon as records (or {@code fetch.min.bytes}
 *       of them) are there, renders them, and only then moves the positions, by compare-and-set in
 *       one transaction. So a record the format cannot show (42203) consumes nothing, and when a
 *       position moved meanwhile (a rebalance, a seek, a concurrent read of the same instance) the
 *       read drops what it read and reads once more at once from the positions as they are now
 *       (40903 only if that races too), instead of skipping or repeating records, or returning
 *       records of a partition taken away. No transaction is open while the read waits.
 *   <li>{@code timeout} absent means the instance's {@code consumer.request.timeout.ms}; 0 means
 *       do not wait (the reference treats 0 as the default); both capped at 30 s. {@code max_bytes}
 *       defaults to 1 MiB, capped at 64 MiB, and is shared by all partitions of a read, which
 *       starts at a random partition so a small budget does not starve the later ones.
 *   <li>An {@code Accept} that names an embedded format must match the instance's (406/40601);
 *       one that names none ({@code *}/{@code *}, {@code application/json}, absent) gets the
 *       instance's format.
 *   <li>With {@code auto.commit.enable}, a read first commits the positions earlier reads reached
 *       (as Kafka's {@code poll}); offsets and subscriptions are the {@code group} package's.
 *   <li>An instance belongs to the principal that created it ({@code owner_principal}): for any
 *       other caller but a super user every call answers 40403, as for an instance that does not
 *       exist, and renews nothing. Read on a topic is asked of the ACLs at every read, commit and
 *       seek (not only when the topics are chosen): a read leaves out partitions the caller may no
 *       longer Read, a commit or seek naming one is refused (40301) before anything is written, and
 *       commits or seeks of "everything" cover only the partitions it may Read.
 * </ul>
 */
package io.rowstream.consumer;
