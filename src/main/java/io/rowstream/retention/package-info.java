/**
 * Log maintenance ({@link io.rowstream.retention.LogMaintenance}): one node at a time, under a
 * session advisory lock, it applies delete retention ({@code retention.ms},
 * {@code retention.bytes}; {@link io.rowstream.retention.RetentionPolicy}) to the topics whose
 * {@code cleanup.policy} includes {@code delete} (rolling a quiet partition's active segment when
 * it expires; the partition then has no active segment, and so no table, until its next append),
 * visiting only topics that have segments at all, compacts the topics whose policy includes {@code compact} ({@code Compaction}, over
 * the pure {@code cleaner} package) and gives the space of storages no segment points to back to
 * the file system ({@link io.rowstream.retention.StorageDropper}). {@code SegmentStore} (the one
 * Java writer of {@code segment} and {@code chunk_storage} rows), {@code StorageTableStore} (the
 * DDL of the storage tables: detach, attach, drop, lock timeouts) and {@code CompactionStore} hold
 * its SQL; a partition's log start and cleaner checkpoint move through {@code topic}'s
 * {@code TopicStore}. The maintenance lock is held on a pooled {@code db.Session}; the steps reach
 * the stores through {@code db.Transactions}.
 *
 * <p>May use: {@code cleaner}, {@code log} (the storage tables), {@code topic} (configs and
 * partition rows), {@code background} (its loop), {@code db} and {@code logging}. No door calls it.
 */
package io.rowstream.retention;
