package io.rowstream.consumer;

import io.rowstream.db.Transactions;
import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.group.AssignmentStore;
import io.rowstream.group.GroupCoordinator;
import io.rowstream.group.GroupErrors;
import io.rowstream.group.GroupOffset;
import io.rowstream.group.Subscription;
import io.rowstream.log.ChunkReader;
import io.rowstream.log.OffsetsByTime;
import io.rowstream.log.PartitionKey;
import io.rowstream.log.PartitionLog;
import io.rowstream.log.StoredRecord;
import io.rowstream.log.TopicPartition;
import io.rowstream.security.Acl;
import io.rowstream.security.Caller;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * REST Proxy v2 consumer instances: manual assignment or group subscription, positions, reads and
 * offset commits. An instance, its assignment and its positions are rows, so any node serves any
 * instance and an instance outlives the node that created it. Every call on an instance renews
 * its lease; group membership and commits go through the {@link GroupCoordinator}.
 *
 * <p>Every call names its {@link Caller}, who needs Read on the group (40301). An instance is its
 * creator's: any other caller but a super user finds none (40403). Read on a topic is checked on
 * every read, commit and seek, as Kafka checks it on every fetch and commit: records of a topic the
 * caller may not Read are never returned; a commit or seek naming one is refused (40301).
 */
public final class ConsumerService {
  /** Longest a records request waits for data, whatever it or the instance asks. */
  public static final Duration MAX_WAIT = Duration.ofSeconds(30);

  private final ConsumerInstanceStore store;
  private final ConsumerCaps caps;
  private final TopicCache topics;
  private final PartitionLog log;
  private final GroupCoordinator groups;
  private final ConsumerConfigs configs;
  private final ConsumerPositions positions;

  public ConsumerService(
      Transactions transactions,
      TopicCache topics,
      PartitionLog log,
      GroupCoordinator groups,
      OffsetsByTime offsetsByTime,
      int instanceTimeoutMs,
      ConsumerCaps caps) {
    this.store = new ConsumerInstanceStore(transactions.autocommit());
    this.caps = caps;
    this.topics = topics;
    this.log = log;
    this.groups = groups;
    this.configs = new ConsumerConfigs(instanceTimeoutMs);
    this.positions = new ConsumerPositions(store, offsetsByTime);
  }

  /**
   * Creates an instance in {@code group}, owned by {@code caller}; INVALID_CONSUMER_CONFIG,
   * CONSUMER_INSTANCE_EXISTS, or QUOTA_EXCEEDED (a {@link ConsumerCaps} cap reached) when refused.
   */
  public ConsumerInstance create(Caller caller, String group, NewConsumer request) {
    caller.requireGroupRead(group);
    ConsumerInstance instance = configs.instance(group, request);
    groups.ensureGroup(group);
    return switch (store.insert(instance, caller, caps)) {
      case CREATED -> instance;
      case EXISTS ->
        throw new BrokerException(
            BrokerError.CONSUMER_INSTANCE_EXISTS,
            "Consumer instance '" + instance.id() + "' already exists in group '" + group + "'.");
      case GROUP_FULL ->
        throw capReached("Group " + group + " has " + caps.perGroup()
            + " consumer instances already (ROWSTREAM_MAX_CONSUMERS_PER_GROUP)");
      case PRINCIPAL_FULL ->
        throw capReached(caller.principal() + " owns " + caps.perPrincipal()
            + " consumer instances already (ROWSTREAM_MAX_CONSUMERS_PER_PRINCIPAL)");
      case PRINCIPAL_GROUPS_FULL ->
        throw capReached(caller.principal() + " owns consumer instances in "
            + caps.groupsPerPrincipal() + " groups already (ROWSTREAM_MAX_GROUPS_PER_PRINCIPAL)");
    };
  }

  private static BrokerException capReached(String what) {
    return new BrokerException(BrokerError.QUOTA_EXCEEDED, what + "; delete one first.");
  }

  /**
   * The instance, its lease renewed; CONSUMER_INSTANCE_NOT_FOUND if there is none, its lease
   * ended, or it is not the caller's (its owner's or a super user's).
   */
  public ConsumerInstance instance(Caller caller, String group, String id) {
    caller.requireGroupRead(group);
    return store.touch(caller, group, id, false).orElseThrow(() -> GroupErrors.notFound(group, id));
  }

  /** As {@link #instance}, and the instance sees the group's current generation (the call shows its assignment). */
  public ConsumerInstance observe(Caller caller, String group, String id) {
    caller.requireGroupRead(group);
    return store.touch(caller, group, id, true).orElseThrow(() -> GroupErrors.notFound(group, id));
  }

  /**
   * Deletes the instance (Kafka's {@code close}): with auto-commit, commits its positions in the
   * partitions the caller may Read; leaves the group.
   */
  public void delete(Caller caller, String group, String id) {
    caller.requireGroupRead(group);
    groups.delete(caller, group, id, readable(caller, group, id).values());
  }

  /**
   * Makes {@code partitions} the instance's whole assignment (Kafka's {@code assign}); partitions
   * already assigned keep their positions. Refused as a whole, writing nothing, when a topic or
   * partition does not exist, the caller may not Read a topic (40301, checked first), or when the
   * instance has subscribed (40903).
   */
  public void assign(Caller caller, String group, String id, List<TopicPartition> partitions) {
    partitions.forEach(tp -> caller.requireRead(tp.topic()));
    instance(caller, group, id);
    var result = store.replaceAssignment(
        caller, group, id, new LinkedHashSet<>(resolve(partitions).values()));
    switch (result) {
      case GONE -> throw GroupErrors.notFound(group, id);
      case SUBSCRIBED ->
        throw GroupErrors.illegalState("Subscription to topics, partitions and pattern are "
            + "mutually exclusive: the instance has subscribed (DELETE its subscription first).");
      case DONE -> {}
    }
  }

  /** The partitions the instance holds now, by topic name then partition; it sees the current generation. */
  public List<TopicPartition> assignment(Caller caller, String group, String id) {
    observe(caller, group, id);
    return store.assignments(group, id).stream().map(Assignment::partition).toList();
  }

  /**
   * Subscribes to topics by name (each needs Read, 40301), or by a regular expression over topic
   * names (a {@link io.rowstream.group.TopicPattern}, which could match any topic and so needs Read
   * on {@code TOPIC *}; 42204 when it cannot be accepted; the group gives the instance only topics
   * its owner may Read). Read is checked first, before the instance is looked up.
   */
  public void subscribe(
      Caller caller, String group, String id, List<String> topicNames, String pattern) {
    if (pattern != null) {
      caller.requireRead(Acl.WILDCARD);
    }
    if (topicNames != null) {
      topicNames.forEach(caller::requireRead);
    }
    instance(caller, group, id);
    if ((topicNames == null || topicNames.isEmpty()) == (pattern == null)) {
      throw BrokerException.invalidRequest("A subscription needs a non-empty \"topics\" list or a "
          + "\"topic_pattern\", not both.");
    }
    if (pattern != null) {
      groups.subscribe(caller, group, id, Subscription.ofPattern(pattern));
    } else {
      groups.subscribe(
          caller, group, id, Subscription.ofTopics(List.copyOf(new LinkedHashSet<>(topicNames))));
    }
  }

  /** The instance's subscription, null when it has none. */
  public Subscription subscription(Caller caller, String group, String id) {
    instance(caller, group, id);
    return groups.subscription(caller, group, id);
  }

  /**
   * The topics a subscription covers now (as Kafka's {@code subscription()}: for a pattern, those
   * it matches that the caller may Read).
   */
  public List<String> topicsOf(Caller caller, Subscription subscription) {
    return groups.topicsOf(caller, subscription);
  }

  public void unsubscribe(Caller caller, String group, String id) {
    instance(caller, group, id);
    groups.unsubscribe(caller, group, id, readable(caller, group, id).values());
  }

  /** An offset as a client commits it: the last offset it processed (the REST Proxy's convention). */
  public record ProcessedOffset(TopicPartition partition, long offset, String metadata) {}

  /**
   * Commits offsets, all or nothing: each the last processed offset of a partition (stored + 1,
   * the next to read), or when {@code processed} is null the position of every held partition the
   * caller may Read (all consumed). A partition of a topic the caller may not Read is refused
   * (40301); see {@link GroupCoordinator#commit} for the other refusals.
   */
  public void commit(
      Caller caller,
      String group,
      String id,
      List<ProcessedOffset> processed,
      Integer generationId) {
    instance(caller, group, id);
    if (processed == null) {
      groups.commitConsumed(caller, group, id, readable(caller, group, id).values(), generationId);
      return;
    }
    processed.forEach(p -> caller.requireRead(p.partition().topic()));
    Map<TopicPartition, PartitionKey> keys =
        resolve(processed.stream().map(ProcessedOffset::partition).toList());
    List<GroupOffset> commits = new ArrayList<>();
    for (ProcessedOffset p : processed) {
      if (p.offset() < 0) {
        throw BrokerException.invalidRequest(
            "The offset committed in " + p.partition() + " must be >= 0, got " + p.offset() + ".");
      }
      commits.add(new GroupOffset(
          keys.get(p.partition()), p.offset() + 1, p.metadata() == null ? "" : p.metadata()));
    }
    groups.commit(caller, group, id, commits, generationId);
  }

  /** A committed offset as the REST Proxy shows it: the next offset to read. */
  public record CommittedOffset(TopicPartition partition, long offset, String metadata) {}

  /**
   * The group's committed offsets in the partitions (each needs Read, 40301), or in those the
   * instance holds and the caller may Read when none are listed; partitions without a commit are
   * left out.
   */
  public List<CommittedOffset> committed(
      Caller caller,
      String group,
      String id,
      List<TopicPartition> partitions,
      Integer generationId) {
    instance(caller, group, id);
    partitions.forEach(tp -> caller.requireRead(tp.topic()));
    Map<TopicPartition, PartitionKey> keys =
        partitions.isEmpty() ? readable(caller, group, id) : resolve(partitions);
    Map<PartitionKey, TopicPartition> names = new HashMap<>();
    keys.forEach((tp, key) -> names.put(key, tp));
    return groups.committed(caller, group, id, List.copyOf(keys.values()), generationId).stream()
        .map(o -> new CommittedOffset(names.get(o.key()), o.offset(), o.metadata()))
        .sorted(
            java.util.Comparator.comparing((CommittedOffset c) -> c.partition().topic())
                .thenComparingInt(c -> c.partition().partition()))
        .toList();
  }

  /** Sets the next offset to read in assigned partitions; all or nothing. */
  public void seek(Caller caller, String group, String id, Map<TopicPartition, Long> offsets) {
    instance(caller, group, id);
    positions.seek(caller, group, id, offsets);
  }

  /** Seeks to the first record at or after each time (ms since the epoch); the log end when none. */
  public void seekToTimestamps(
      Caller caller, String group, String id, Map<TopicPartition, Long> times) {
    instance(caller, group, id);
    positions.seekToTimestamps(caller, group, id, times);
  }

  /** Seeks to the log start of the partitions; none listed means every assigned partition it may Read (as Kafka). */
  public void seekToBeginning(
      Caller caller, String group, String id, List<TopicPartition> partitions) {
    instance(caller, group, id);
    positions.seekTo(caller, group, id, partitions, Assignment::logStartOffset);
  }

  /** Seeks to the log end of the partitions; none listed means every assigned partition it may Read (as Kafka). */
  public void seekToEnd(Caller caller, String group, String id, List<TopicPartition> partitions) {
    instance(caller, group, id);
    positions.seekTo(caller, group, id, partitions, Assignment::logEndOffset);
  }

  /**
   * Reads the partitions the instance holds from their positions: in offset order per partition,
   * up to {@code maxBytes} in all but at least one record, waiting up to {@code timeout} (the
   * instance's {@code consumer.request.timeout.ms} when null, at most {@link #MAX_WAIT} and half
   * its session timeout) until there is data. With auto-commit, the positions reached by earlier
   * reads are committed first (as Kafka's {@code poll}). {@code render} sees the records before
   * the positions move past them: when it throws (a record the instance's format cannot show),
   * nothing moves. Partitions without a position start from the committed offset, else from
   * auto.offset.reset. A subscribed instance that holds no partition reads nothing. Partitions of
   * topics the caller may not Read (now: the ACLs are asked on every read) are left out: their
   * records are never returned, their positions neither move nor are auto-committed.
   *
   * <p>When a position moved while the read was in flight (a rebalance took or gave back the
   * partition, a seek, another read of the same instance), none of its records are returned: the
   * read runs once more at once, from the assignment and positions as they are now, so a member
   * never gets records of a partition taken from it. 40903 only if that second read races too.
   */
  public <T> T read(
      Caller caller,
      ConsumerInstance instance,
      Duration timeout,
      long maxBytes,
      Function<List<PartitionRecords>, T> render) {
    return read(caller, instance, timeout, maxBytes, render, true);
  }

  private <T> T read(
      Caller caller,
      ConsumerInstance instance,
      Duration timeout,
      long maxBytes,
      Function<List<PartitionRecords>, T> render,
      boolean mayRetry) {
    String group = instance.group();
    String id = instance.id();
    if (instance.autoCommitEnable()) {
      groups.autoCommit(caller, group, id, readable(caller, group, id).values());
    }
    store.initPositions(
        group,
        id,
        instance.autoOffsetReset() == OffsetReset.NONE
            ? null
            : instance.autoOffsetReset() == OffsetReset.EARLIEST);
    List<Assignment> held = store.assignments(group, id);
    if (held.isEmpty()) {
      if (instance(caller, group, id).subscribed()) {
        return render.apply(List.of());
      }
      throw GroupErrors.illegalState("No partitions are assigned to consumer instance '" + id
          + "': POST its assignments or its subscription first.");
    }
    List<Assignment> assigned =
        held.stream().filter(a -> caller.mayRead(a.partition().topic())).toList();
    List<Assignment> readable = new ArrayList<>();
    for (Assignment a : assigned) {
      if (a.hasValidPosition()) {
        readable.add(a);
      } else if (instance.autoOffsetReset() == OffsetReset.NONE) {
        throw new BrokerException(
            BrokerError.OFFSET_OUT_OF_RANGE,
            "Partition " + a.partition()
                + (a.position() == null
                    ? " has no position"
                    : " has position " + a.position() + ", outside the log [" + a.logStartOffset()
                        + ", " + a.logEndOffset() + "]")
                + " and auto.offset.reset is none: seek first.");
      }
    }
    // Start at a random partition, so that a small max_bytes cannot starve the later ones.
    Collections.rotate(readable, ThreadLocalRandom.current().nextInt(readable.size() + 1));
    Duration wait = timeout == null ? Duration.ofMillis(instance.requestTimeoutMs()) : timeout;
    Duration cap =
        Collections.min(List.of(MAX_WAIT, Duration.ofMillis(instance.sessionTimeoutMs() / 2)));
    wait = wait.compareTo(cap) > 0 ? cap : wait;
    long minBytes = Math.min(Math.max(1, instance.fetchMinBytes()), maxBytes);
    Fetch fetch = log.longPoll()
        .poll(
            assigned.stream().map(Assignment::key).toList(),
            wait,
            () -> fetchOnce(readable, maxBytes),
            f -> !f.records().isEmpty() && (f.full() || f.bytes() >= minBytes));
    T rendered = render.apply(fetch.records());
    if (!fetch.advances().isEmpty() && !store.advance(group, id, fetch.advances())) {
      ConsumerInstance now = instance(caller, group, id);
      if (mayRetry) {
        return read(caller, now, Duration.ZERO, maxBytes, render, false);
      }
      throw GroupErrors.illegalState(
          "A position of consumer instance '" + id + "' moved while this read was in "
              + "progress (a seek, a rebalance, a new assignment or another read of the same instance): nothing was "
              + "consumed, read again.");
    }
    return rendered;
  }

  /** One pass over the partitions without waiting. */
  private record Fetch(
      List<PartitionRecords> records,
      List<AssignmentStore.Advance> advances,
      long bytes,
      boolean full) {}

  private Fetch fetchOnce(List<Assignment> partitions, long maxBytes) {
    List<PartitionRecords> out = new ArrayList<>();
    List<AssignmentStore.Advance> advances = new ArrayList<>();
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
        out.add(new PartitionRecords(
            a.partition().topic(), a.partition().partition(), List.copyOf(chosen)));
        advances.add(new AssignmentStore.Advance(
            a.key(), a.position(), chosen.getLast().offset() + 1, a.generation()));
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

  /** The partitions by name, checked to exist as a whole first (40401, 40402). */
  private Map<TopicPartition, PartitionKey> resolve(List<TopicPartition> partitions) {
    Map<String, Topic> byName = new HashMap<>();
    Map<TopicPartition, PartitionKey> keys = new LinkedHashMap<>();
    for (TopicPartition tp : partitions) {
      Topic topic = byName.computeIfAbsent(tp.topic(), topics::require);
      if (!topic.hasPartition(tp.partition())) {
        throw BrokerException.partitionNotFound(topic.name(), tp.partition());
      }
      keys.put(tp, new PartitionKey(topic.id(), tp.partition()));
    }
    return keys;
  }

  /** The partitions the instance holds of topics the caller may Read. */
  private Map<TopicPartition, PartitionKey> readable(Caller caller, String group, String id) {
    Map<TopicPartition, PartitionKey> out = new LinkedHashMap<>();
    store.assignments(group, id).stream()
        .filter(a -> caller.mayRead(a.partition().topic()))
        .forEach(a -> out.put(a.partition(), a.key()));
    return out;
  }
}
