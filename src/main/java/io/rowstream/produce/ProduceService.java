package io.rowstream.produce;

import io.rowstream.BrokerError;
import io.rowstream.BrokerException;
import io.rowstream.log.AppendResult;
import io.rowstream.log.LogRecord;
import io.rowstream.log.PartitionLog;
import io.rowstream.log.RecordBatchCodec;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicCache;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produce: validate the whole request, choose partitions, append each partition's records as one
 * chunk (all in one transaction), and answer with the offsets in request order.
 */
public final class ProduceService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProduceService.class);

  private final TopicCache topics;
  private final PartitionLog log;
  private final KeyPartitioner partitioner = new KeyPartitioner();
  private final Clock clock;
  private final ExecutorService fireAndForget = Executors.newVirtualThreadPerTaskExecutor();

  public ProduceService(TopicCache topics, PartitionLog log, Clock clock) {
    this.topics = topics;
    this.log = log;
    this.clock = clock;
  }

  /** Produces to {@code topicName}; every record is checked before anything is written. */
  public List<RecordOffset> produce(String topicName, List<ProduceRecord> records, Acks acks) {
    return produce(topics.require(topicName), records, acks);
  }

  /** Produces to an already looked-up topic. */
  public List<RecordOffset> produce(Topic looked, List<ProduceRecord> records, Acks acks) {
    Topic topic = covering(looked, records);
    String topicName = topic.name();
    Plan plan = plan(topic, records);
    if (acks == Acks.NONE) {
      fireAndForget.submit(() -> {
        try {
          log.append(topic, plan.byPartition());
        } catch (RuntimeException e) {
          LOG.warn("acks=0 append failed topic={} records={} error={}", topicName, records.size(), e.getMessage());
        }
      });
      List<RecordOffset> offsets = new ArrayList<>(records.size());
      for (int i = 0; i < records.size(); i++) {
        offsets.add(new RecordOffset(plan.partitionOf()[i], -1, plan.timestamps()[i]));
      }
      return offsets;
    }
    Map<Integer, AppendResult> appended = new HashMap<>();
    for (AppendResult r : append(topic, plan)) {
      appended.put(r.partition(), r);
    }
    List<RecordOffset> offsets = new ArrayList<>(records.size());
    Map<Integer, Integer> seen = new HashMap<>();
    for (int i = 0; i < records.size(); i++) {
      int partition = plan.partitionOf()[i];
      AppendResult r = appended.get(partition);
      int index = seen.merge(partition, 1, Integer::sum) - 1;
      long timestamp = topic.logAppendTime() ? r.appendTimeMs() : plan.timestamps()[i];
      offsets.add(new RecordOffset(partition, r.baseOffset() + index, timestamp));
    }
    return offsets;
  }

  private List<AppendResult> append(Topic topic, Plan plan) {
    try {
      return log.append(topic, plan.byPartition());
    } catch (BrokerException e) {
      if (e.error() == BrokerError.PARTITION_NOT_FOUND) {
        topics.invalidate(topic.name()); // deleted (or recreated) since it was read: look again next time
      }
      throw e;
    }
  }

  /** The topic as it is now when a record names a partition the given view does not have. */
  private Topic covering(Topic topic, List<ProduceRecord> records) {
    for (ProduceRecord r : records) {
      if (r.partition() != null) {
        topic = topics.covering(topic, r.partition());
      }
    }
    return topic;
  }

  private record Plan(SortedMap<Integer, List<LogRecord>> byPartition, int[] partitionOf, long[] timestamps) {}

  /** The topic, or TOPIC_NOT_FOUND: what a request checks before anything else. */
  public Topic topic(String topicName) {
    return topics.require(topicName);
  }

  /** The topic, known to have {@code partition}, or the not-found error. */
  public Topic topic(String topicName, int partition) {
    return topics.requirePartition(topicName, partition);
  }

  /**
   * Checks one record against the topic (partition exists, timestamp, size) without writing;
   * throws the error that {@link #produce} would refuse it with.
   */
  public void validate(Topic topic, ProduceRecord record) {
    toLogRecord(covering(topic, List.of(record)), record, 0, clock.millis());
  }

  private Plan plan(Topic topic, List<ProduceRecord> records) {
    if (records.isEmpty()) {
      throw new BrokerException(BrokerError.INVALID_PAYLOAD, "The request holds no records.");
    }
    long now = clock.millis();
    int sticky = -1;
    int[] partitionOf = new int[records.size()];
    long[] timestamps = new long[records.size()];
    SortedMap<Integer, List<LogRecord>> byPartition = new TreeMap<>();
    for (int i = 0; i < records.size(); i++) {
      ProduceRecord r = records.get(i);
      LogRecord record = toLogRecord(topic, r, i, now);
      int partition;
      if (r.partition() != null) {
        partition = r.partition();
      } else if (r.key() != null) {
        partition = KeyPartitioner.partitionForKey(r.key(), topic.partitionCount());
      } else {
        if (sticky < 0) {
          sticky = partitioner.stickyPartition(topic.id(), topic.partitionCount());
        }
        partition = sticky;
      }
      partitionOf[i] = partition;
      timestamps[i] = record.timestamp();
      byPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(record);
    }
    return new Plan(byPartition, partitionOf, timestamps);
  }

  private static LogRecord toLogRecord(Topic topic, ProduceRecord r, int index, long now) {
    if (r.partition() != null && !topic.hasPartition(r.partition())) {
      throw BrokerException.partitionNotFound(topic.name(), r.partition());
    }
    if (r.timestamp() != null && r.timestamp() < 0) {
      throw new BrokerException(BrokerError.INVALID_PAYLOAD,
          "Record " + index + " has a negative timestamp " + r.timestamp() + ".");
    }
    LogRecord record = new LogRecord(r.key(), r.value(), r.headers(), r.timestamp() == null ? now : r.timestamp());
    int size = RecordBatchCodec.batchSizeOf(record);
    if (size > topic.maxMessageBytes()) {
      throw new BrokerException(BrokerError.RECORD_TOO_LARGE, "Record " + index + " is " + size
          + " bytes as a batch, over the topic's max.message.bytes of " + topic.maxMessageBytes() + ".");
    }
    return record;
  }

  @Override
  public void close() {
    fireAndForget.close();
  }
}
