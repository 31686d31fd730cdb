package io.rowstream.produce;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.log.AppendResult;
import io.rowstream.log.LogRecord;
import io.rowstream.log.PartitionKey;
import io.rowstream.log.PartitionLog;
import io.rowstream.log.ProducerBatch;
import io.rowstream.log.RecordBatchCodec;
import io.rowstream.logging.LogText;
import io.rowstream.security.Principal;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicCache;
import io.rowstream.topic.TopicConfig;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produce: validate the whole request, choose partitions, append each partition's records as
 * consecutive chunks (batches within max.message.bytes), and answer with the offsets in request
 * order.
 *
 * <p>Each partition's chunk is appended by the partition's leader, which orders and batches its
 * appends: the partitions this node leads are appended here (in one transaction), the others are
 * forwarded to their leaders in parallel. A request forwarded to this node is appended here,
 * never forwarded again. When a leader cannot be reached at all, this node appends the chunk
 * itself under the partition's row lock and the leader epoch it knows (the fallback): the row
 * lock keeps offsets in order whoever appends, and the epoch check refuses the append if
 * leadership moved meanwhile. An append refused for a stale epoch wrote nothing and is routed
 * once more under the epoch read again.
 */
public final class ProduceService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProduceService.class);

  private final TopicCache topics;
  private final PartitionLog log;
  private final KeyPartitioner partitioner = new KeyPartitioner();
  private final Clock clock;
  private final ExecutorService fireAndForget = Executors.newVirtualThreadPerTaskExecutor();
  private final ExecutorService forwards = Executors.newVirtualThreadPerTaskExecutor();
  private final Forwarding forwarding;
  private final IdempotentProducers producers;
  private final IntSupplier durableCopies;
  private final LongAdder forwardedOut = new LongAdder();
  private final LongAdder forwardedIn = new LongAdder();
  private final LongAdder fallbacks = new LongAdder();

  /** Counts since start: chunks sent to their leader, received as leader, appended here for lack of one. */
  public record ForwardingCounts(long forwardedOut, long forwardedIn, long fallbacks) {}

  /**
   * @param durableCopies how many machines a commit reaches now (the primary and the synchronous
   *     standbys it waits for), checked against min.insync.replicas for acks=all
   */
  public ProduceService(
      TopicCache topics,
      PartitionLog log,
      Forwarding forwarding,
      IdempotentProducers producers,
      IntSupplier durableCopies,
      Clock clock) {
    this.topics = topics;
    this.log = log;
    this.forwarding = forwarding;
    this.producers = producers;
    this.durableCopies = durableCopies;
    this.clock = clock;
  }

  /** Produces to {@code topicName}; every record is checked before anything is written. */
  public List<RecordOffset> produce(String topicName, List<ProduceRecord> records, Acks acks) {
    return produce(topics.require(topicName), records, acks);
  }

  /** Produces to an already looked-up topic. */
  public List<RecordOffset> produce(Topic looked, List<ProduceRecord> records, Acks acks) {
    return produce(looked, records, acks, null, Principal.ANONYMOUS);
  }

  /**
   * Produces a batch whose records succeed or fail alone ({@link PartialBatch}): the outcome of
   * each record, in the batch's order. {@code admit} sees the records that passed their checks
   * before any is written, and may refuse them all by throwing.
   */
  public List<RecordOutcome> produceEach(
      Topic topic, List<ProduceRecord> records, Acks acks, Consumer<List<ProduceRecord>> admit) {
    return PartialBatch.produce(this, topic, records, acks, admit);
  }

  /**
   * Produces as an idempotent producer when {@code producer} is not null: the producer id must be
   * {@code principal}'s ({@link IdempotentProducers#requireOwner}), the records must all go to one
   * partition, where they take sequences from {@code producer.baseSequence()} on; a retry of an
   * appended request answers its original offsets and writes nothing.
   */
  public List<RecordOffset> produce(
      Topic looked,
      List<ProduceRecord> records,
      Acks acks,
      ProducerBatch producer,
      Principal principal) {
    if (producer != null) {
      producers.requireOwner(principal, producer.producerId());
    }
    Topic topic = covering(looked, records);
    String topicName = topic.name();
    Plan plan = plan(topic, records);
    requireInSyncCopies(topic, acks);
    if (producer != null && plan.byPartition().size() != 1) {
      throw BrokerException.invalidRequest(
          "A request with a producer id must go to one partition (its records "
              + "take consecutive sequence numbers there, as in a Kafka producer batch); these go to partitions "
              + plan.byPartition().keySet() + ".");
    }
    if (acks == Acks.NONE) {
      fireAndForget.submit(() -> {
        try {
          append(topic, plan.byPartition(), producer, false, 0);
        } catch (RuntimeException e) {
          LOG.warn(
              "acks=0 append failed topic={} records={} error={}",
              LogText.of(topicName),
              records.size(),
              LogText.of(e.getMessage()));
        }
      });
      List<RecordOffset> offsets = new ArrayList<>(records.size());
      for (int i = 0; i < records.size(); i++) {
        offsets.add(new RecordOffset(plan.partitionOf()[i], -1, plan.timestamps()[i]));
      }
      return offsets;
    }
    Map<Integer, AppendResult> appended = new HashMap<>();
    for (AppendResult r : append(topic, plan.byPartition(), producer, false, 0)) {
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

  /**
   * Appends records that another node forwarded here because this node leads the partition (as
   * that node saw it): appended here whatever this node now thinks, so a request is forwarded at
   * most once. {@code topicId} is the topic the sender validated against.
   */
  public AppendResult appendForwarded(
      String topicName,
      long topicId,
      int partition,
      List<LogRecord> records,
      ProducerBatch producer) {
    Topic topic = topics.requirePartition(topicName, partition);
    if (topic.id() != topicId) {
      topics.invalidate(topicName);
      topic = topics.requirePartition(topicName, partition);
      if (topic.id() != topicId) {
        throw BrokerException.partitionNotFound(topicName, partition);
      }
    }
    long now = clock.millis();
    for (int i = 0; i < records.size(); i++) {
      checkRecord(topic, records.get(i), i, now);
    }
    forwardedIn.increment();
    SortedMap<Integer, List<LogRecord>> one = new TreeMap<>(Map.of(partition, records));
    return append(topic, one, producer, true, 0).getFirst();
  }

  /**
   * Appends a client's encoded Kafka v2 record batch (Kafka's Produce, v3 and later: one batch per
   * partition) to {@code partition} of {@code topicName}, as the door received it. Checked first as
   * Kafka checks it ({@link BatchValidator}); nothing is written when it is refused. Stored as sent
   * when the topic's compression.type is {@code producer} or the batch's codec, else encoded again
   * with the topic's codec; stamped with the commit's time on a LogAppendTime topic. A batch with a
   * producer id is an idempotent producer's (ids from {@code producers().create}, owned by {@code
   * principal}): a retry answers its original offset and writes nothing. This node must lead the
   * partition (NOT_LEADER_OR_FOLLOWER otherwise: this call never forwards); acks=all checks
   * min.insync.replicas as {@link #produce} does (acks=0 is appended alike: not answering is the
   * door's part).
   */
  public AppendedBatch appendBatch(
      String topicName, int partition, ByteBuffer records, Acks acks, Principal principal) {
    Topic topic = topics.requirePartition(topicName, partition);
    PartitionKey key = new PartitionKey(topic.id(), partition);
    requireLeader(topic, key);
    requireInSyncCopies(topic, acks);
    BatchValidator.Checked batch = BatchValidator.check(topic, partition, records, clock.millis());
    if (batch.producer() != null) {
      producers.requireOwner(principal, batch.producer().producerId());
    }
    AppendResult appended;
    try {
      appended = appendBatchHere(topic, partition, batch);
    } catch (BrokerException e) {
      if (e.error() != BrokerError.FENCED_LEADER_EPOCH) {
        throw e;
      }
      requireLeader(topic, key); // the refused epoch was forgotten: leadership read again
      appended = appendBatchHere(topic, partition, batch);
    }
    return new AppendedBatch(
        appended.baseOffset(),
        topic.logAppendTime() ? appended.appendTimeMs() : -1,
        appended.logStartOffset());
  }

  private AppendResult appendBatchHere(Topic topic, int partition, BatchValidator.Checked batch) {
    try {
      return batch.asSent() != null
          ? log.appendBatch(topic, partition, batch.asSent())
          : log.appendAsOneBatch(topic, partition, batch.recompress(), batch.producer());
    } catch (BrokerException e) {
      if (e.error() == BrokerError.PARTITION_NOT_FOUND) {
        topics.invalidate(topic.name());
      }
      throw e;
    }
  }

  /** Refuses (NOT_LEADER_OR_FOLLOWER) when another live node leads the partition. */
  private void requireLeader(Topic topic, PartitionKey key) {
    Optional<String> leader = forwarding.leaderElsewhere(key);
    if (leader.isPresent()) {
      throw new BrokerException(
          BrokerError.NOT_LEADER_OR_FOLLOWER,
          "This node does not lead partition " + key.partition() + " of topic " + topic.name()
              + " (its leader is at " + leader.get() + "); nothing was written.");
    }
  }

  /** Each partition's chunk where it belongs: here, or at its leader; results in partition order. */
  private List<AppendResult> append(
      Topic topic,
      SortedMap<Integer, List<LogRecord>> byPartition,
      ProducerBatch producer,
      boolean forwarded,
      int attempt) {
    SortedMap<Integer, List<LogRecord>> here = new TreeMap<>();
    SortedMap<Integer, Future<AppendResult>> there = new TreeMap<>();
    for (Map.Entry<Integer, List<LogRecord>> e : byPartition.entrySet()) {
      int partition = e.getKey();
      Optional<String> leader = forwarded
          ? Optional.empty()
          : forwarding.leaderElsewhere(new PartitionKey(topic.id(), partition));
      if (leader.isPresent()) {
        there.put(
            partition,
            forwards.submit(
                () -> forwardOrAppendHere(leader.get(), topic, partition, e.getValue(), producer)));
      } else {
        here.put(partition, e.getValue());
      }
    }
    List<AppendResult> results = new ArrayList<>(byPartition.size());
    if (!here.isEmpty()) {
      try {
        results.addAll(appendHere(topic, here, producer));
      } catch (BrokerException e) {
        if (e.error() != BrokerError.FENCED_LEADER_EPOCH || attempt > 0) {
          throw e;
        }
        results.addAll(append(topic, here, producer, forwarded, attempt + 1));
      }
    }
    for (Future<AppendResult> f : there.values()) {
      results.add(join(f));
    }
    results.sort(java.util.Comparator.comparingInt(AppendResult::partition));
    return results;
  }

  private AppendResult forwardOrAppendHere(
      String leaderUrl,
      Topic topic,
      int partition,
      List<LogRecord> records,
      ProducerBatch producer) {
    try {
      AppendResult result = forwarding.forward(leaderUrl, topic, partition, records, producer);
      forwardedOut.increment();
      return result;
    } catch (Forwarding.LeaderUnreachable e) {
      fallbacks.increment();
      LOG.info(
          "leader unreachable, appending here topic={} partition={} leader={} error={}",
          LogText.of(topic.name()),
          partition,
          leaderUrl,
          LogText.of(e.getMessage()));
      return append(topic, new TreeMap<>(Map.of(partition, records)), producer, true, 0)
          .getFirst();
    }
  }

  private static AppendResult join(Future<AppendResult> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BrokerException(
          BrokerError.RETRIABLE, "Interrupted while forwarding to the leader.");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw new IllegalStateException(
          "forwarding failed with a checked exception, which indicates a bug", e);
    }
  }

  private List<AppendResult> appendHere(
      Topic topic, SortedMap<Integer, List<LogRecord>> byPartition, ProducerBatch producer) {
    try {
      return log.append(topic, byPartition, producer);
    } catch (BrokerException e) {
      if (e.error() == BrokerError.PARTITION_NOT_FOUND) {
        topics.invalidate(
            topic.name()); // deleted (or recreated) since it was read: look again next time
      }
      throw e;
    }
  }

  /**
   * Kafka's check for acks=all: refused (writing nothing) while fewer copies than the topic's
   * min.insync.replicas would hold the records at commit. acks=0 and 1 are not checked, as in Kafka.
   */
  private void requireInSyncCopies(Topic topic, Acks acks) {
    int required = Integer.parseInt(topic.config(TopicConfig.MIN_INSYNC_REPLICAS));
    int copies = durableCopies.getAsInt();
    if (acks == Acks.ALL && required > copies) {
      throw new BrokerException(
          BrokerError.NOT_ENOUGH_REPLICAS,
          "Topic " + topic.name() + " has min.insync.replicas="
              + required + " but a commit reaches " + copies + " cop" + (copies == 1 ? "y" : "ies")
              + " now (the PostgreSQL primary and the synchronous standbys it waits for); nothing was written. "
              + "Configure synchronous standbys, or lower min.insync.replicas, or produce with acks=1.");
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

  private record Plan(
      SortedMap<Integer, List<LogRecord>> byPartition, int[] partitionOf, long[] timestamps) {}

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
    LogRecord record =
        new LogRecord(r.key(), r.value(), r.headers(), r.timestamp() == null ? now : r.timestamp());
    checkRecord(topic, record, index, now);
    return record;
  }

  /**
   * What the topic asks of every record, whichever door or node it came through: a timestamp that
   * is not negative and lies within the topic's bounds around {@code now} (the appending node's
   * clock), a key on a compacted topic, at most max.message.bytes as a batch.
   */
  private static void checkRecord(Topic topic, LogRecord record, int index, long now) {
    if (record.timestamp() < 0) {
      throw new BrokerException(
          BrokerError.INVALID_PAYLOAD,
          "Record " + index + " has a negative timestamp " + record.timestamp() + ".");
    }
    TimestampBounds.of(topic).check(record.timestamp(), now, index);
    if (record.key() == null && topic.isCompacted()) {
      throw new BrokerException(
          BrokerError.INVALID_PAYLOAD,
          "Record " + index + " has no key: a compacted topic "
              + "(cleanup.policy=compact) cannot accept a record without a key, as in Kafka.");
    }
    long size = RecordBatchCodec.batchSizeOf(record);
    if (size > topic.maxMessageBytes()) {
      throw new BrokerException(
          BrokerError.RECORD_TOO_LARGE,
          "Record " + index + " is " + size
              + " bytes as a batch, over the topic's max.message.bytes of "
              + topic.maxMessageBytes() + ".");
    }
  }

  /** Idempotent producer ids and their owners. */
  public IdempotentProducers producers() {
    return producers;
  }

  public ForwardingCounts forwardingCounts() {
    return new ForwardingCounts(forwardedOut.sum(), forwardedIn.sum(), fallbacks.sum());
  }

  @Override
  public void close() {
    fireAndForget.close();
    forwards.close();
  }
}
