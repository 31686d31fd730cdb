package io.rowstream.consumer;

import io.rowstream.BrokerError;
import io.rowstream.BrokerException;
import io.rowstream.log.ChunkReader;
import io.rowstream.log.PartitionKey;
import io.rowstream.log.PartitionLog;
import io.rowstream.log.StoredRecord;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * REST Proxy v2 consumer instances with manual assignment. An instance, its assignment and its
 * positions are rows, so any node serves any instance and an instance outlives the node that
 * created it. Every call on an instance moves its {@code last_seen_at}.
 */
public final class ConsumerService {
  /** Longest a records request waits for data, whatever it or the instance asks. */
  public static final Duration MAX_WAIT = Duration.ofSeconds(30);
  private static final int MAX_FETCH_MIN_BYTES = 10_000_000;

  private final ConsumerInstanceStore store;
  private final TopicCache topics;
  private final PartitionLog log;

  public ConsumerService(ConsumerInstanceStore store, TopicCache topics, PartitionLog log) {
    this.store = store;
    this.topics = topics;
    this.log = log;
  }

  /** Creates an instance in {@code group}; INVALID_CONSUMER_CONFIG or CONSUMER_INSTANCE_EXISTS when refused. */
  public ConsumerInstance create(String group, NewConsumer request) {
    String id = request.name() == null ? "rest-consumer-" + UUID.randomUUID() : request.name();
    if (id.isBlank() || id.contains("/")) {
      throw invalidConfig("name must be non-blank and hold no '/', got '" + id + "'.");
    }
    ConsumerInstance instance = new ConsumerInstance(group, id,
        choice(request.format(), "format", ConsumerFormat.BINARY, ConsumerFormat.values()),
        choice(request.autoOffsetReset(), "auto.offset.reset", OffsetReset.LATEST, OffsetReset.values()),
        bool(request.autoCommitEnable(), "auto.commit.enable", true),
        integer(request.fetchMinBytes(), "fetch.min.bytes", -1, -1, MAX_FETCH_MIN_BYTES),
        integer(request.requestTimeoutMs(), "consumer.request.timeout.ms", 1000, 0, Integer.MAX_VALUE));
    if (!store.insert(instance)) {
      throw new BrokerException(BrokerError.CONSUMER_INSTANCE_EXISTS, "Consumer instance '" + id
          + "' already exists in group '" + group + "'.");
    }
    return instance;
  }

  /** The instance (CONSUMER_INSTANCE_NOT_FOUND if there is none), marked as seen now. */
  public ConsumerInstance instance(String group, String id) {
    return store.touch(group, id).orElseThrow(() -> notFound(group, id));
  }

  public void delete(String group, String id) {
    if (!store.delete(group, id)) {
      throw notFound(group, id);
    }
  }

  /**
   * Makes {@code partitions} the instance's whole assignment (Kafka's {@code assign}); partitions
   * already assigned keep their positions. Refused as a whole, writing nothing, when a topic or
   * partition does not exist.
   */
  public void assign(String group, String id, List<TopicPartition> partitions) {
    instance(group, id);
    Map<String, Topic> byName = new HashMap<>();
    Set<PartitionKey> keys = new LinkedHashSet<>();
    for (TopicPartition tp : partitions) {
      Topic topic = byName.computeIfAbsent(tp.topic(), topics::require);
      if (!topic.hasPartition(tp.partition())) {
        throw BrokerException.partitionNotFound(topic.name(), tp.partition());
      }
      keys.add(new PartitionKey(topic.id(), tp.partition()));
    }
    if (!store.replaceAssignment(group, id, keys)) {
      throw notFound(group, id);
    }
  }

  /** The assigned partitions, by topic name then partition. */
  public List<TopicPartition> assignment(String group, String id) {
    instance(group, id);
    return store.assignments(group, id).stream().map(Assignment::partition).toList();
  }

  /** Sets the next offset to read in assigned partitions; all or nothing. */
  public void seek(String group, String id, Map<TopicPartition, Long> offsets) {
    instance(group, id);
    Map<TopicPartition, Assignment> assigned = assignedByPartition(group, id);
    Map<PartitionKey, Long> positions = new LinkedHashMap<>();
    offsets.forEach((tp, offset) -> {
      if (offset < 0) {
        throw BrokerException.invalidRequest("The offset to seek to in " + tp + " must be >= 0, got " + offset + ".");
      }
      positions.put(requireAssigned(assigned, tp).key(), offset);
    });
    writePositions(group, id, positions);
  }

  /** Seeks to the log start of the partitions; none listed means every assigned partition (as Kafka). */
  public void seekToBeginning(String group, String id, List<TopicPartition> partitions) {
    seekTo(group, id, partitions, Assignment::logStartOffset);
  }

  /** Seeks to the log end of the partitions; none listed means every assigned partition (as Kafka). */
  public void seekToEnd(String group, String id, List<TopicPartition> partitions) {
    seekTo(group, id, partitions, Assignment::logEndOffset);
  }

  /**
   * Reads the assigned partitions from their positions: in offset order per partition, up to
   * {@code maxBytes} in all but at least one record, waiting up to {@code timeout} (the instance's
   * {@code consumer.request.timeout.ms} when null, at most {@link #MAX_WAIT}) until there is data.
   * {@code render} sees the records before the positions move past them: when it throws (a record
   * the instance's format cannot show), nothing moves. Partitions start from auto.offset.reset
   * when they have no position or it fell outside the log.
   */
  public <T> T read(ConsumerInstance instance, Duration timeout, long maxBytes,
      Function<List<PartitionRecords>, T> render) {
    String group = instance.group();
    String id = instance.id();
    if (instance.autoOffsetReset() != OffsetReset.NONE) {
      store.resetInvalidPositions(group, id, instance.autoOffsetReset() == OffsetReset.EARLIEST);
    }
    List<Assignment> assigned = store.assignments(group, id);
    if (assigned.isEmpty()) {
      instance(group, id);
      throw illegalState("No partitions are assigned to consumer instance '" + id + "': POST its assignments first.");
    }
    List<Assignment> readable = new ArrayList<>();
    for (Assignment a : assigned) {
      if (a.hasValidPosition()) {
        readable.add(a);
      } else if (instance.autoOffsetReset() == OffsetReset.NONE) {
        throw new BrokerException(BrokerError.OFFSET_OUT_OF_RANGE, "Partition " + a.partition()
            + (a.position() == null ? " has no position" : " has position " + a.position() + ", outside the log ["
                + a.logStartOffset() + ", " + a.logEndOffset() + "]")
            + " and auto.offset.reset is none: seek first.");
      }
    }
    // Start at a random partition, so that a small max_bytes cannot starve the later ones.
    Collections.rotate(readable, ThreadLocalRandom.current().nextInt(readable.size() + 1));
    Duration wait = timeout == null ? Duration.ofMillis(instance.requestTimeoutMs()) : timeout;
    wait = wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
    long minBytes = Math.min(Math.max(1, instance.fetchMinBytes()), maxBytes);
    Fetch fetch = log.longPoll().poll(assigned.stream().map(Assignment::key).toList(), wait,
        () -> fetchOnce(readable, maxBytes), f -> !f.records().isEmpty() && (f.full() || f.bytes() >= minBytes));
    T rendered = render.apply(fetch.records());
    if (!fetch.advances().isEmpty() && !store.advance(group, id, fetch.advances())) {
      instance(group, id);
      throw illegalState("A position of consumer instance '" + id + "' moved while this read was in progress "
          + "(a seek, a new assignment or another read of the same instance): nothing was consumed, read again.");
    }
    return rendered;
  }

  /** One pass over the partitions without waiting. */
  private record Fetch(List<PartitionRecords> records, List<ConsumerInstanceStore.Advance> advances, long bytes,
      boolean full) {}

  private Fetch fetchOnce(List<Assignment> partitions, long maxBytes) {
    List<PartitionRecords> out = new ArrayList<>();
    List<ConsumerInstanceStore.Advance> advances = new ArrayList<>();
    long bytes = 0;
    boolean full = false;
    for (Assignment a : partitions) {
      if (bytes >= maxBytes) {
        full = true;
        break;
      }
      List<StoredRecord> records = readPartition(a, maxBytes - bytes);
      int kept = 0;
      for (StoredRecord r : records) {
        long size = ChunkReader.sizeOf(r.record());
        if (!(out.isEmpty() && kept == 0) && bytes + size > maxBytes) {
          full = true;
          break;
        }
        bytes += size;
        kept++;
      }
      if (kept > 0) {
        List<StoredRecord> chosen = records.subList(0, kept);
        out.add(new PartitionRecords(a.partition().topic(), a.partition().partition(), List.copyOf(chosen)));
        advances.add(new ConsumerInstanceStore.Advance(a.key(), a.position(), chosen.getLast().offset() + 1));
      }
    }
    return new Fetch(out, advances, bytes, full);
  }

  /** The partition's records from the position; none when the log moved away from it meanwhile. */
  private List<StoredRecord> readPartition(Assignment a, long maxBytes) {
    try {
      return log.readOnce(a.key(), a.position(), maxBytes).records();
    } catch (BrokerException e) {
      if (e.error() == BrokerError.OFFSET_OUT_OF_RANGE) {
        return List.of();
      }
      throw e;
    }
  }

  private void seekTo(String group, String id, List<TopicPartition> partitions, ToLongFunction<Assignment> offset) {
    instance(group, id);
    Map<TopicPartition, Assignment> assigned = assignedByPartition(group, id);
    List<Assignment> targets = partitions.isEmpty() ? List.copyOf(assigned.values())
        : partitions.stream().map(tp -> requireAssigned(assigned, tp)).toList();
    Map<PartitionKey, Long> positions = new LinkedHashMap<>();
    for (Assignment a : targets) {
      positions.put(a.key(), offset.applyAsLong(a));
    }
    writePositions(group, id, positions);
  }

  private void writePositions(String group, String id, Map<PartitionKey, Long> positions) {
    if (!store.seek(group, id, positions)) {
      instance(group, id);
      throw illegalState("The assignment of consumer instance '" + id + "' changed during the seek; nothing moved.");
    }
  }

  private Map<TopicPartition, Assignment> assignedByPartition(String group, String id) {
    Map<TopicPartition, Assignment> out = new LinkedHashMap<>();
    for (Assignment a : store.assignments(group, id)) {
      out.put(a.partition(), a);
    }
    return out;
  }

  private static Assignment requireAssigned(Map<TopicPartition, Assignment> assigned, TopicPartition tp) {
    Assignment a = assigned.get(tp);
    if (a == null) {
      throw illegalState("No current assignment for partition " + tp + ".");
    }
    return a;
  }

  private static <E extends Enum<E>> E choice(String raw, String name, E fallback, E[] values) {
    if (raw == null) {
      return fallback;
    }
    for (E value : values) {
      if (value.name().equalsIgnoreCase(raw)) {
        return value;
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E value : values) {
      allowed.add(value.name().toLowerCase(Locale.ROOT));
    }
    throw invalidConfig(name + " must be one of " + allowed + ", got '" + raw + "'.");
  }

  private static boolean bool(String raw, String name, boolean fallback) {
    if (raw == null) {
      return fallback;
    }
    if (raw.equalsIgnoreCase("true") || raw.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(raw);
    }
    throw invalidConfig(name + " must be true or false, got '" + raw + "'.");
  }

  private static int integer(String raw, String name, int fallback, int min, int max) {
    if (raw == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw invalidConfig(name + " must be an integer from " + min + " to " + max + ", got '" + raw + "'.");
  }

  private static BrokerException invalidConfig(String message) {
    return new BrokerException(BrokerError.INVALID_CONSUMER_CONFIG, "Invalid consumer configuration: " + message);
  }

  private static BrokerException illegalState(String message) {
    return new BrokerException(BrokerError.ILLEGAL_CONSUMER_STATE, "Illegal state: " + message);
  }

  private static BrokerException notFound(String group, String id) {
    return new BrokerException(BrokerError.CONSUMER_INSTANCE_NOT_FOUND,
        "Consumer instance '" + id + "' not found in group '" + group + "'.");
  }
}
