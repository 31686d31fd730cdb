package io.rowstream.consumer;

import io.rowstream.BrokerError;
import io.rowstream.BrokerException;
import io.rowstream.log.ChunkReader;
import io.rowstream.log.PartitionKey;
import io.rowstream.log.PartitionLog;
import io.rowstream.log.StoredRecord;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * REST Proxy consumer instances with manual assignment. Every fact (the instance, what it is
 * assigned, where it is positioned) is a row, so any node serves any instance.
 */
public final class ConsumerService {
  private static final Pattern INSTANCE_ID = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  private final ConsumerInstanceStore store;
  private final TopicStore topics;
  private final PartitionLog log;

  public ConsumerService(ConsumerInstanceStore store, TopicStore topics, PartitionLog log) {
    this.store = store;
    this.topics = topics;
    this.log = log;
  }

  /** Creates an instance named {@code name}, or with a generated id. */
  public ConsumerInstance create(String group, Optional<String> name, ConsumerInstanceConfig config) {
    String id = name.orElseGet(() -> "rest-consumer-" + UUID.randomUUID());
    if (!INSTANCE_ID.matcher(id).matches()) {
      throw ConsumerInstanceConfig.invalid("name '" + id + "' must be 1-249 characters of [a-zA-Z0-9._-]");
    }
    ConsumerInstance instance = new ConsumerInstance(group, id, config);
    store.create(instance);
    return instance;
  }

  public void delete(String group, String id) {
    if (!store.delete(group, id)) {
      throw notFound(group, id);
    }
  }

  /** The instance (marked as seen), or CONSUMER_INSTANCE_NOT_FOUND. */
  public ConsumerInstance require(String group, String id) {
    return store.touch(group, id).orElseThrow(() -> notFound(group, id));
  }

  /** Replaces the assignment; every partition must exist, else nothing changes. */
  public void assign(String group, String id, List<TopicPartitionRef> partitions) {
    require(group, id);
    List<PartitionKey> keys = new ArrayList<>();
    Map<String, Topic> byName = new HashMap<>();
    for (TopicPartitionRef ref : partitions) {
      Topic topic = byName.computeIfAbsent(ref.topic(), topics::require);
      if (!topic.hasPartition(ref.partition())) {
        throw BrokerException.partitionNotFound(topic.name(), ref.partition());
      }
      keys.add(new PartitionKey(topic.id(), ref.partition()));
    }
    store.replaceAssignment(group, id, keys.stream().distinct().toList());
  }

  public List<AssignedPartition> assignment(String group, String id) {
    require(group, id);
    return store.assignment(group, id);
  }

  /** Moves positions to the given offsets; every partition must be assigned. */
  public void seek(String group, String id, Map<TopicPartitionRef, Long> offsets) {
    require(group, id);
    Map<TopicPartitionRef, AssignedPartition> assigned = assignedByRef(group, id);
    Map<PartitionKey, Long> positions = new HashMap<>();
    offsets.forEach((ref, offset) -> positions.put(assigned(assigned, ref).key(), offset));
    store.setPositions(group, id, positions);
  }

  /** Moves positions to the log start ({@code beginning}) or the log end. */
  public void seekToEdge(String group, String id, List<TopicPartitionRef> partitions, boolean beginning) {
    require(group, id);
    Map<TopicPartitionRef, AssignedPartition> assigned = assignedByRef(group, id);
    Map<PartitionKey, Long> positions = new HashMap<>();
    for (TopicPartitionRef ref : partitions) {
      PartitionKey key = assigned(assigned, ref).key();
      var bounds = log.reader().bounds(key);
      positions.put(key, beginning ? bounds.value1() : bounds.value2());
    }
    store.setPositions(group, id, positions);
  }

  /** What one poll returned: the instance and the records per partition (positions not yet advanced). */
  public record Poll(ConsumerInstance instance, List<PolledPartition> partitions) {}

  /**
   * Reads the assigned partitions from their positions, up to {@code maxBytes} in all (at least one
   * record), waiting up to {@code timeout} (the instance's default when null) for records, and for
   * {@code fetch.min.bytes} of them when set. Positions without a value, or out of range, are reset
   * by {@code auto.offset.reset} and stored.
   */
  public Poll poll(String group, String id, long maxBytes, Duration timeout) {
    ConsumerInstance instance = require(group, id);
    List<AssignedPartition> assigned = store.assignment(group, id);
    Duration wait = timeout != null ? timeout : Duration.ofMillis(instance.config().requestTimeoutMs());
    if (assigned.isEmpty()) {
      return new Poll(instance, List.of());
    }
    Map<AssignedPartition, Long> positions = resolvePositions(instance, assigned);
    int minBytes = instance.config().fetchMinBytes();
    List<PolledPartition> result = log.longPoll().poll(
        assigned.stream().map(AssignedPartition::key).toList(), wait,
        () -> readOnce(positions, maxBytes),
        polled -> bytes(polled) > 0 && (minBytes <= 0 || bytes(polled) >= minBytes));
    return new Poll(instance, result);
  }

  /** Moves each polled partition's position past its last returned record. */
  public void advance(Poll poll) {
    Map<PartitionKey, Long> positions = new HashMap<>();
    for (PolledPartition p : poll.partitions()) {
      if (!p.records().isEmpty()) {
        positions.put(p.key(), p.records().getLast().offset() + 1);
      }
    }
    store.setPositions(poll.instance().group(), poll.instance().id(), positions);
  }

  private Map<AssignedPartition, Long> resolvePositions(ConsumerInstance instance, List<AssignedPartition> assigned) {
    Map<AssignedPartition, Long> positions = new LinkedHashMap<>();
    Map<PartitionKey, Long> resets = new HashMap<>();
    for (AssignedPartition a : assigned) {
      var bounds = log.reader().bounds(a.key());
      long start = bounds.value1();
      long end = bounds.value2();
      Long position = a.position();
      if (position == null || position < start || position > end) {
        position = switch (instance.config().autoOffsetReset()) {
          case "earliest" -> start;
          case "latest" -> end;
          default -> throw new BrokerException(BrokerError.OFFSET_OUT_OF_RANGE, "Partition " + a.partition()
              + " of " + a.topic() + " has " + (a.position() == null ? "no position" : "position " + a.position()
              + " outside " + start + ".." + end) + " and auto.offset.reset is none: seek first.");
        };
        resets.put(a.key(), position);
      }
      positions.put(a, position);
    }
    store.setPositions(instance.group(), instance.id(), resets);
    return positions;
  }

  private List<PolledPartition> readOnce(Map<AssignedPartition, Long> positions, long maxBytes) {
    List<PolledPartition> out = new ArrayList<>();
    long budget = maxBytes;
    for (var e : positions.entrySet()) {
      if (budget <= 0) {
        break;
      }
      AssignedPartition a = e.getKey();
      List<StoredRecord> records = log.readOnce(a.key(), e.getValue(), budget).records();
      if (!records.isEmpty()) {
        out.add(new PolledPartition(a.topic(), a.key(), records));
        for (StoredRecord r : records) {
          budget -= ChunkReader.sizeOf(r.record());
        }
      }
    }
    return out;
  }

  private static long bytes(List<PolledPartition> polled) {
    long total = 0;
    for (PolledPartition p : polled) {
      for (StoredRecord r : p.records()) {
        total += ChunkReader.sizeOf(r.record()) + 1;
      }
    }
    return total;
  }

  private Map<TopicPartitionRef, AssignedPartition> assignedByRef(String group, String id) {
    Map<TopicPartitionRef, AssignedPartition> out = new HashMap<>();
    for (AssignedPartition a : store.assignment(group, id)) {
      out.put(new TopicPartitionRef(a.topic(), a.partition()), a);
    }
    return out;
  }

  private static AssignedPartition assigned(Map<TopicPartitionRef, AssignedPartition> assigned, TopicPartitionRef ref) {
    AssignedPartition a = assigned.get(ref);
    if (a == null) {
      throw new BrokerException(BrokerError.ILLEGAL_CONSUMER_STATE, "Illegal state: partition " + ref.partition()
          + " of topic " + ref.topic() + " is not assigned to this consumer instance.");
    }
    return a;
  }

  private static BrokerException notFound(String group, String id) {
    return new BrokerException(BrokerError.CONSUMER_INSTANCE_NOT_FOUND,
        "Consumer instance " + id + " not found in group " + group + ".");
  }
}
