/**
 * The log of each partition: chunks (one Kafka v2 record batch a row) appended in offset order
 * under the partition's row lock by {@code append_chunks}, read back in offset order, and the
 * signals that wake fetchers waiting for new records. The SQL functions of the log have one
 * definition each, in {@code sql/R__log_functions.sql} (appends, reads) and
 * {@code sql/R__segment_functions.sql} (segment storages and rolls). Their calls, and the time
 * index's queries, are the {@link io.rowstream.log.ChunkStore}'s (plain JDBC for the append and the
 * read); the classes around it decide what is appended together, what an outcome means and how a
 * read is sliced. Each node keeps the tail of the partitions its fetches read in memory
 * ({@link io.rowstream.log.LogTails}): the chunks its own appends committed, as stored, answer the
 * fetches of consumers that keep up without a read. The notifications between nodes go through
 * {@code db.Notifications}.
 *
 * <p>What a door calls:
 *
 * <ul>
 *   <li>{@link io.rowstream.log.PartitionLog} {@code fetch(topic, partition, offset, maxBytes,
 *       timeout)}: records from an offset, long-polling while there are none, with the log start
 *       and end the read saw (Kafka's Fetch; OFFSET_OUT_OF_RANGE outside them), decoded into
 *       {@link io.rowstream.log.StoredRecord}s (the REST door's fetch).
 *   <li>{@link io.rowstream.log.PartitionLog} {@code readBatches(key, offset, maxBytes,
 *       minOneBatch)} and {@code fetchBatches(topic, partition, offset, maxBytes, timeout)}: the
 *       stored batches byte for byte ({@link io.rowstream.log.StoredBatches}), from the batch that
 *       holds the offset (whole) up to maxBytes, but at least one batch when asked (KIP-74), with
 *       the log start and end (high watermark) the read saw; OFFSET_OUT_OF_RANGE outside them.
 *       Each stored batch carries its base offset and the partition's leader epoch at the append.
 *       {@code fetchBatches(fetches, maxBytes, minBytes, maxWait)}: Kafka's Fetch of many
 *       partitions with one wait (per-partition and whole-response limits; woken by an append to
 *       any of them, here or on another node; a partition that cannot be read fails alone in its
 *       {@link io.rowstream.log.BatchRead}).
 *   <li>{@link io.rowstream.log.OffsetsByTime} {@code offsetForTime(key, logStart, logEnd, time)}
 *       (and {@code readFrom}, the same or the log end when none):
 *       the first offset at or after a time (Kafka's ListOffsets by time; earliest and latest are
 *       the partition row's, {@code topic.TopicService#partition}); {@code maxTimestamp(key,
 *       logStart)}: the offset and timestamp of the first record holding the partition's largest
 *       timestamp (ListOffsets MAX_TIMESTAMP, -3).
 *   <li>{@link io.rowstream.log.PartitionLog} {@code appendTaken(topic, takes)}: appends, per
 *       partition, the records its take hands over, all in the one transaction where the takes
 *       recorded them as taken (records sent from SQL, package {@code send}), then wakes fetchers.
 *   <li>{@link io.rowstream.log.PartitionLog} {@code changed(key)}: a partition's stored records
 *       changed other than by an append on this node (log maintenance): every node forgets its
 *       tail.
 *   <li>{@link io.rowstream.log.LogSegments} {@code of(key)} and {@code sizes(topicId)}: a
 *       partition's segments ({@link io.rowstream.log.LogSegment}) and each partition's bytes and
 *       segment count, read from the {@code segment} rows ({@code SegmentReadStore}).
 *   <li>{@link io.rowstream.log.RecordBatchCodec}: decoding a stored v2 batch into records and
 *       encoding records into one.
 * </ul>
 */
package io.rowstream.log;
