/**
 * The log of each partition: chunks (one Kafka v2 record batch a row) appended in offset order
 * under the partition's row lock by {@code append_chunks}, read back in offset order, and the
 * signals that wake fetchers waiting for new records. The SQL functions of the log have one
 * definition each, in {@code sql/R__log_functions.sql} (appends, reads) and
 * {@code sql/R__segment_functions.sql} (segment storages and rolls). Their calls, and the time
 * index's queries, are the {@link io.rowstream.log.ChunkStore}'s (plain JDBC for the append and the
 * read); the classes around it decide what is appended together, what an outcome means and how a
 * read is sliced. The notifications between nodes go through {@code db.Notifications}.
 *
 * <p>What a door calls:
 *
 * <ul>
 *   <li>{@link io.rowstream.log.PartitionLog} {@code fetch(topic, partition, offset, maxBytes,
 *       timeout)}: records from an offset, long-polling while there are none, with the log start
 *       and end the read saw (Kafka's Fetch; OFFSET_OUT_OF_RANGE outside them). The stored batches
 *       are decoded into {@link io.rowstream.log.StoredRecord}s; handing them out byte for byte is
 *       not a call yet.
 *   <li>{@link io.rowstream.log.OffsetsByTime} {@code offsetForTime(key, logStart, logEnd, time)}:
 *       the first offset at or after a time (Kafka's ListOffsets by time; earliest and latest are
 *       the partition row's, {@code topic.TopicService#partition}).
 *   <li>{@link io.rowstream.log.RecordBatchCodec}: decoding a client's v2 batch into records and
 *       encoding records into one.
 * </ul>
 */
package io.rowstream.log;
