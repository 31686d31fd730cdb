package io.rowstream.retention;

import io.rowstream.background.BackgroundLoop;
import io.rowstream.db.AdvisoryLock;
import io.rowstream.db.AdvisoryLocks;
import io.rowstream.db.Database;
import io.rowstream.db.LockedSession;
import io.rowstream.db.Transactions;
import io.rowstream.logging.LogText;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicConfig;
import io.rowstream.topic.TopicStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log maintenance, on every node, one node at a time (a session advisory lock; another node holding
 * it means this pass is skipped, and PostgreSQL frees it when a node's connection dies): applies
 * delete retention to every topic whose {@code cleanup.policy} includes {@code delete} (the
 * segments' tables dropped in the transaction that deletes them, so storage shrinks with what is
 * retained, never after it), compacts
 * every topic whose policy includes {@code compact} ({@link Compaction}), then drops the storages no
 * segment points to any more. Every step is a short transaction of its own or a
 * lock-friendly DDL statement, so appends and fetches go on throughout.
 */
public final class LogMaintenance implements AutoCloseable {
  /**
   * Told of every partition whose stored records a pass changed, once the change committed:
   * retention moved its log start, or compaction rewrote segments of it.
   */
  @FunctionalInterface
  public interface PartitionChanged {
    void changed(long topicId, int partition);
  }

  private static final Logger LOG = LoggerFactory.getLogger(LogMaintenance.class);
  private static final AdvisoryLock LOCK = AdvisoryLocks.logMaintenance();
  /** Memory of compaction's key map (Kafka's log.cleaner.dedupe.buffer.size is 128 MiB over all threads). */
  static final long COMPACTION_MAP_BYTES = 16L * 1024 * 1024;

  private final Database database;
  private final TopicStore topics;
  private final SegmentStore segments;
  private final StorageDropper dropper;
  private final Compaction compaction;
  private final PartitionChanged partitionChanged;
  private BackgroundLoop loop;

  private LogMaintenance(Database database, TopicStore topics, PartitionChanged partitionChanged) {
    this.database = database;
    this.topics = topics;
    this.partitionChanged = partitionChanged;
    Transactions transactions = new Transactions(database);
    this.segments = new SegmentStore(transactions.autocommit());
    this.dropper = new StorageDropper(database, segments);
    this.compaction =
        new Compaction(new CompactionStore(transactions.autocommit()), COMPACTION_MAP_BYTES);
  }

  /**
   * Starts passes {@code interval} apart; {@code partitionChanged} hears of each partition whose
   * stored records a pass changed (the nodes then forget what they held of its tail).
   */
  public static LogMaintenance start(
      Database database, TopicStore topics, Duration interval, PartitionChanged partitionChanged) {
    LogMaintenance maintenance = new LogMaintenance(database, topics, partitionChanged);
    // a failed pass (a database failure, say) is the loop's to log; the next one comes as usual
    maintenance.loop = BackgroundLoop.every("log-maintenance", interval, maintenance::pass);
    return maintenance;
  }

  /** Asks for a pass soon (after a topic was deleted, say), besides the scheduled ones. */
  public void passSoon() {
    loop.passSoon();
  }

  /**
   * One pass if no other node is running one; returns whether it ran. The maintenance lock is
   * held by a pooled session for the length of the pass (the steps run on other connections).
   */
  boolean pass() {
    return LockedSession.run(database, LOCK, lockHolder -> {
          dropper.reattachReferenced(); // before retention detaches anything in this pass
          applyRetention();
          compact();
          int dropped;
          do {
            dropped = dropper.dropUnreferenced(); // a bounded batch per call
          } while (dropped == StorageDropper.BATCH);
          return true;
        })
        .isPresent();
  }

  private void applyRetention() {
    long nowMs = segments.nowMs();
    Set<Long> written = segments.topicsWithSegments();
    for (Topic topic : topics.list()) {
      if (!written.contains(topic.id())
          || !topic.config(TopicConfig.CLEANUP_POLICY).contains("delete")) {
        continue;
      }
      RetentionPolicy policy = new RetentionPolicy(
          Long.parseLong(topic.config(TopicConfig.RETENTION_MS)),
          Long.parseLong(topic.config(TopicConfig.RETENTION_BYTES)));
      if (policy.isUnlimited()) {
        continue;
      }
      for (List<SegmentInfo> partition : byPartition(segments.segmentsOf(topic.id()))) {
        deleteSegments(
            topic, partition.getFirst().partition(), policy.deletablePrefix(partition, nowMs));
      }
    }
  }

  /**
   * Deletes a prefix of a partition's segments and moves its log start past them. When the prefix
   * ends with the active segment, that one is rolled first, as Kafka does; if an append reached it
   * since it was read, it stays active (with its new record) and only the rolled segments go.
   */
  private void deleteSegments(Topic topic, int partitionId, List<SegmentInfo> doomed) {
    if (!doomed.isEmpty()
        && doomed.getLast().active()
        && !segments.rollActive(topic.id(), partitionId, doomed.getLast().nextOffset())) {
      doomed = doomed.subList(0, doomed.size() - 1);
    }
    if (doomed.isEmpty()) {
      return;
    }
    long start = doomed.getLast().nextOffset();
    // Out of chunk first (a detached table stays readable by name), then dropped with the segments.
    Set<Long> detached = dropper.detach(segments.storagesBefore(topic.id(), partitionId, start));
    int deleted = segments.deleteSegmentsBefore(topic.id(), partitionId, start, detached);
    if (deleted > 0) {
      partitionChanged.changed(topic.id(), partitionId);
      LOG.info(
          "retention deleted segments topic={} partition={} segments={} logStartOffset={}",
          LogText.of(topic.name()),
          partitionId,
          deleted,
          start);
    }
  }

  private void compact() {
    long nowMs = segments.nowMs();
    Set<Long> written = segments.topicsWithSegments();
    for (Topic topic : topics.list()) {
      if (!written.contains(topic.id()) || !topic.isCompacted()) {
        continue;
      }
      for (List<SegmentInfo> partition : byPartition(segments.segmentsOf(topic.id()))) {
        try {
          if (compaction.clean(topic, partition, nowMs) > 0) {
            partitionChanged.changed(topic.id(), partition.getFirst().partition());
          }
        } catch (RuntimeException e) {
          LOG.warn(
              "compaction failed topic={} partition={} error={}",
              LogText.of(topic.name()),
              partition.getFirst().partition(),
              LogText.of(e.getMessage()));
        }
      }
    }
  }

  private static List<List<SegmentInfo>> byPartition(List<SegmentInfo> segments) {
    List<List<SegmentInfo>> partitions = new ArrayList<>();
    for (SegmentInfo segment : segments) {
      if (partitions.isEmpty()
          || partitions.getLast().getFirst().partition() != segment.partition()) {
        partitions.add(new ArrayList<>());
      }
      partitions.getLast().add(segment);
    }
    return partitions;
  }

  @Override
  public void close() {
    loop.close();
  }
}
