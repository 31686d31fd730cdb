package io.rowstream.log;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.topic.Topic;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.SortedMap;

/**
 * The log of every partition as this node sees it: appends that wake waiting fetchers (here at
 * once, on other nodes through a coalesced notification), and fetches that long-poll.
 */
public final class PartitionLog {
  private final PartitionAppender appender;
  private final ChunkReader reader;
  private final LogSignals signals;
  private final LogAppendNotifier notifier;
  private final LongPoll longPoll;
  private final GroupCommit groupCommit;

  public PartitionLog(
      PartitionAppender appender,
      ChunkReader reader,
      LogSignals signals,
      LogAppendNotifier notifier,
      LongPoll longPoll,
      Clock clock) {
    this.appender = appender;
    this.reader = reader;
    this.signals = signals;
    this.notifier = notifier;
    this.longPoll = longPoll;
    this.groupCommit = new GroupCommit(appender, clock);
  }

  /**
   * Appends each partition's records as consecutive batches (chunks) of at most the topic's
   * max.message.bytes each, then wakes fetchers of those partitions. A request for one
   * partition goes through group commit; one spanning several commits them all in one transaction.
   */
  public List<AppendResult> append(
      Topic topic, SortedMap<Integer, List<LogRecord>> recordsByPartition) {
    return append(topic, recordsByPartition, null);
  }

  /**
   * As {@link #append(Topic, SortedMap)}, for an idempotent producer's request when {@code producer}
   * is not null: such a request goes to one partition, as a Kafka producer batch does.
   */
  public List<AppendResult> append(
      Topic topic, SortedMap<Integer, List<LogRecord>> recordsByPartition, ProducerBatch producer) {
    if (producer != null && recordsByPartition.size() != 1) {
      throw new IllegalStateException(
          "an idempotent append to " + recordsByPartition.size() + " partitions indicates a bug");
    }
    List<AppendResult> results = recordsByPartition.size() == 1
        ? List.of(appendOne(
            topic,
            recordsByPartition.firstKey(),
            recordsByPartition.get(recordsByPartition.firstKey()),
            producer))
        : appender.append(topic, recordsByPartition);
    for (AppendResult r : results) {
      PartitionKey key = new PartitionKey(topic.id(), r.partition());
      signals.signal(key);
      notifier.appended(key);
    }
    return results;
  }

  /**
   * One partition's records, in as many batches as max.message.bytes asks. An idempotent
   * producer's request that needs several batches is appended in a transaction of its own, so that
   * its batches are checked and written all or none; any other goes through group commit.
   */
  private AppendResult appendOne(
      Topic topic, int partition, List<LogRecord> records, ProducerBatch producer) {
    List<List<LogRecord>> batches = RecordBatchWriter.split(records, topic.maxMessageBytes());
    if (producer != null && batches.size() > 1) {
      return appender.appendIdempotent(topic, partition, batches, producer);
    }
    return groupCommit.append(topic, partition, batches, producer);
  }

  /**
   * Records from {@code offset}, waiting up to {@code timeout} when there are none yet. An offset
   * below the log start or above the log end is OFFSET_OUT_OF_RANGE; the log end itself waits.
   */
  public FetchResult fetch(
      Topic topic, int partition, long offset, long maxBytes, Duration timeout) {
    PartitionKey key = new PartitionKey(topic.id(), partition);
    return longPoll.poll(
        List.of(key),
        timeout,
        () -> readOnce(key, offset, maxBytes),
        r -> !r.records().isEmpty());
  }

  /** One read without waiting; throws OFFSET_OUT_OF_RANGE outside [log start, log end]. */
  public FetchResult readOnce(PartitionKey key, long offset, long maxBytes) {
    FetchResult read = reader.read(key, offset, maxBytes);
    if (offset < read.logStartOffset() || offset > read.logEndOffset()) {
      throw new BrokerException(
          BrokerError.OFFSET_OUT_OF_RANGE,
          "Offset " + offset + " is out of range: the partition holds offsets "
              + read.logStartOffset() + " to " + read.logEndOffset() + " (exclusive end).");
    }
    return read;
  }

  /** Fetchers waiting on this node right now. */
  public int waiting() {
    return signals.waiting();
  }

  public LongPoll longPoll() {
    return longPoll;
  }
}
