package io.rowstream.group;

import io.rowstream.db.Transactions;
import io.rowstream.db.Tx;
import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.log.OffsetsByTime;
import io.rowstream.log.PartitionKey;
import io.rowstream.log.TopicPartition;
import io.rowstream.security.Caller;
import io.rowstream.topic.PartitionState;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resetting a group's committed offsets as {@code kafka-consumer-groups.sh --reset-offsets} does
 * (through Kafka's Admin {@code alterConsumerGroupOffsets}): to the earliest or latest offset, to
 * the first record at or after a time (the log end when there is none, as the tool does), or to
 * offsets given per partition. The partitions are those of one topic when a topic is named (all of
 * them, committed or not, as the tool's {@code --topic}), else every partition in which the group
 * has committed an offset (the tool's {@code --all-topics}).
 *
 * <p>Kafka's tool resets only an inactive group (Empty or Dead) and its coordinator refuses an
 * Admin commit while the group has members; here the check and the write are one transaction that
 * holds the group row {@code FOR UPDATE}: no member joins (whatever its door) and no member commits
 * meanwhile. A group with any live consumer instance (an HTTP instance, a Kafka classic or KIP-848
 * member) is refused with NON_EMPTY_GROUP, a dry run too (the tool refuses its plan as well), and
 * nothing is written. The caller needs Read on the group and on each topic (Kafka's checks of an
 * OffsetCommit). An offset given outside [log start, log end] is OFFSET_OUT_OF_RANGE.
 *
 * <p>Offsets by time are looked up before the transaction (they read records, which should not
 * happen while the group row is held); earliest and latest are read from the partition rows inside
 * it, so that they are the log's bounds at the time of the write.
 */
public final class GroupOffsetResets {
  /** Where to move the offsets. */
  public sealed interface Target {
    /** Each partition's log start offset. */
    record Earliest() implements Target {}

    /** Each partition's log end offset. */
    record Latest() implements Target {}

    /** The first record at or after {@code timestampMs}, else the log end. */
    record AtTime(long timestampMs) implements Target {}

    /** The offsets given, one per partition (a partition named twice: its last). */
    record Offsets(List<ResetOffset> offsets) implements Target {}
  }

  /** A partition's offset, asked or as reset (the next offset the group reads). */
  public record ResetOffset(TopicPartition partition, long offset) {}

  private final Transactions transactions;
  private final OffsetsByTime offsetsByTime;

  public GroupOffsetResets(Transactions transactions, OffsetsByTime offsetsByTime) {
    this.transactions = transactions;
    this.offsetsByTime = offsetsByTime;
  }

  /**
   * Resets the group's offsets to {@code target}, in the partitions of {@code topic} when present
   * (ignored for {@link Target.Offsets}, which names its partitions), and returns the offsets
   * stored, by topic and partition; with {@code dryRun}, the offsets that would be stored, storing
   * nothing. GROUP_NOT_FOUND for an unknown group; TOPIC_NOT_FOUND and PARTITION_NOT_FOUND for a
   * partition that does not exist.
   */
  public List<ResetOffset> reset(
      Caller caller, String group, Optional<String> topic, Target target, boolean dryRun) {
    caller.requireGroupRead(group);
    TopicStore topics = new TopicStore(transactions.autocommit());
    Map<TopicPartition, Topic> partitions = target instanceof Target.Offsets given
        ? named(topics, given)
        : topic.isPresent() ? ofTopic(topics.require(topic.get())) : committed(topics, group);
    partitions.values().stream().map(Topic::name).distinct().forEach(caller::requireRead);
    Map<TopicPartition, Long> atTime = target instanceof Target.AtTime time
        ? atTime(topics, partitions, time.timestampMs())
        : Map.of();
    return transactions.result(tx -> {
      if (new GroupStore(tx).lockForUpdate(group).isEmpty()) {
        throw GroupErrors.groupNotFound(group);
      }
      refuseLiveMembers(tx, group);
      List<ResetOffset> resolved = resolve(new TopicStore(tx), partitions, target, atTime);
      if (!dryRun) {
        List<GroupOffset> commits = new ArrayList<>();
        resolved.forEach(r -> commits.add(new GroupOffset(
            partitionKey(partitions.get(r.partition()), r.partition()), r.offset(), "")));
        new OffsetStore(tx).commit(group, commits, null);
      }
      return resolved;
    });
  }

  private static void refuseLiveMembers(Tx tx, String group) {
    int live = new MemberStore(tx).liveInstances(group);
    if (live > 0) {
      throw new BrokerException(
          BrokerError.NON_EMPTY_GROUP,
          "The group '" + group + "' has " + live + " live consumer instance"
              + (live == 1 ? "" : "s")
              + "; its offsets can be reset only while it has none (as Kafka resets only an"
              + " inactive group).");
    }
  }

  /** The offsets to store, by topic and partition, each checked against its log's bounds. */
  private static List<ResetOffset> resolve(
      TopicStore topics,
      Map<TopicPartition, Topic> partitions,
      Target target,
      Map<TopicPartition, Long> atTime) {
    Map<TopicPartition, Long> asked = new HashMap<>();
    if (target instanceof Target.Offsets given) {
      given.offsets().forEach(o -> asked.put(o.partition(), o.offset()));
    }
    List<ResetOffset> resolved = new ArrayList<>();
    partitions.forEach((tp, topic) -> {
      PartitionState row = topics.partition(topic, tp.partition());
      long offset = switch (target) {
        case Target.Earliest e -> row.logStartOffset();
        case Target.Latest l -> row.logEndOffset();
        case Target.AtTime t -> atTime.getOrDefault(tp, row.logEndOffset());
        case Target.Offsets o -> asked.get(tp);
      };
      if (offset < row.logStartOffset() || offset > row.logEndOffset()) {
        throw new BrokerException(
            BrokerError.OFFSET_OUT_OF_RANGE,
            "Offset " + offset + " is outside " + tp.topic() + "-" + tp.partition() + "'s log ["
                + row.logStartOffset() + ", " + row.logEndOffset() + "].");
      }
      resolved.add(new ResetOffset(tp, offset));
    });
    resolved.sort(Comparator.comparing((ResetOffset r) -> r.partition().topic())
        .thenComparingInt(r -> r.partition().partition()));
    return resolved;
  }

  /** The first offset at or after the time in each partition that has one. */
  private Map<TopicPartition, Long> atTime(
      TopicStore topics, Map<TopicPartition, Topic> partitions, long timestampMs) {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    partitions.forEach((tp, topic) -> {
      PartitionState row = topics.partition(topic, tp.partition());
      offsetsByTime
          .offsetForTime(
              partitionKey(topic, tp), row.logStartOffset(), row.logEndOffset(), timestampMs)
          .ifPresent(offset -> offsets.put(tp, offset));
    });
    return offsets;
  }

  private static Map<TopicPartition, Topic> named(TopicStore topics, Target.Offsets given) {
    Map<String, Topic> byName = new HashMap<>();
    Map<TopicPartition, Topic> partitions = new LinkedHashMap<>();
    for (ResetOffset o : given.offsets()) {
      Topic topic = byName.computeIfAbsent(o.partition().topic(), topics::require);
      if (!topic.hasPartition(o.partition().partition())) {
        throw BrokerException.partitionNotFound(topic.name(), o.partition().partition());
      }
      partitions.put(o.partition(), topic);
    }
    return partitions;
  }

  private static Map<TopicPartition, Topic> ofTopic(Topic topic) {
    Map<TopicPartition, Topic> partitions = new LinkedHashMap<>();
    for (int p = 0; p < topic.partitionCount(); p++) {
      partitions.put(new TopicPartition(topic.name(), p), topic);
    }
    return partitions;
  }

  /** The partitions in which the group has committed an offset. */
  private Map<TopicPartition, Topic> committed(TopicStore topics, String group) {
    Map<String, Topic> byName = new HashMap<>();
    Map<TopicPartition, Topic> partitions = new LinkedHashMap<>();
    for (GroupOffsets.Committed c : new OffsetStore(transactions.autocommit()).all(group)) {
      Topic topic = byName.computeIfAbsent(c.partition().topic(), topics::require);
      partitions.put(c.partition(), topic);
    }
    return partitions;
  }

  private static PartitionKey partitionKey(Topic topic, TopicPartition tp) {
    return new PartitionKey(topic.id(), tp.partition());
  }
}
