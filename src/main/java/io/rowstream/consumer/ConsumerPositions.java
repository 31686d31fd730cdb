package io.rowstream.consumer;

import io.rowstream.error.BrokerException;
import io.rowstream.group.GroupErrors;
import io.rowstream.log.OffsetsByTime;
import io.rowstream.log.PartitionKey;
import io.rowstream.log.TopicPartition;
import io.rowstream.security.Caller;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Seeks of an instance's positions, in partitions it holds now, all or nothing: to offsets, to
 * the log start or end, or to the first record at or after a time. A seek naming a partition of a
 * topic the caller may not Read is refused (40301) before anything moves; a seek of every held
 * partition moves only those it may Read. The caller has touched the instance.
 */
final class ConsumerPositions {
  private final ConsumerInstanceStore store;
  private final OffsetsByTime byTime;

  ConsumerPositions(ConsumerInstanceStore store, OffsetsByTime byTime) {
    this.store = store;
    this.byTime = byTime;
  }

  void seek(Caller caller, String group, String id, Map<TopicPartition, Long> offsets) {
    offsets.keySet().forEach(tp -> caller.requireRead(tp.topic()));
    Map<TopicPartition, Assignment> assigned = assignedByPartition(group, id);
    Map<PartitionKey, Long> positions = new LinkedHashMap<>();
    offsets.forEach((tp, offset) -> {
      if (offset < 0) {
        throw BrokerException.invalidRequest(
            "The offset to seek to in " + tp + " must be >= 0, got " + offset + ".");
      }
      positions.put(requireAssigned(assigned, tp).key(), offset);
    });
    write(group, id, positions);
  }

  /**
   * Seeks each partition to its first record with a timestamp at or after the given one (ms since
   * the epoch), or to its log end when there is none (Kafka's {@code offsetsForTimes}).
   */
  void seekToTimestamps(Caller caller, String group, String id, Map<TopicPartition, Long> times) {
    times.forEach((tp, time) -> {
      if (time < 0) {
        throw BrokerException.invalidRequest("The target time for partition " + tp + " is " + time
            + ". The target time cannot be negative.");
      }
    });
    times.keySet().forEach(tp -> caller.requireRead(tp.topic()));
    Map<TopicPartition, Assignment> assigned = assignedByPartition(group, id);
    Map<PartitionKey, Long> positions = new LinkedHashMap<>();
    times.forEach((tp, time) -> {
      Assignment a = requireAssigned(assigned, tp);
      positions.put(
          a.key(),
          byTime
              .offsetForTime(a.key(), a.logStartOffset(), a.logEndOffset(), time)
              .orElse(a.logEndOffset()));
    });
    write(group, id, positions);
  }

  /** Seeks the partitions, or every held partition when none are listed (as Kafka), to an offset of each. */
  void seekTo(
      Caller caller,
      String group,
      String id,
      List<TopicPartition> partitions,
      ToLongFunction<Assignment> offset) {
    partitions.forEach(tp -> caller.requireRead(tp.topic()));
    Map<TopicPartition, Assignment> assigned = assignedByPartition(group, id);
    List<Assignment> targets = partitions.isEmpty()
        ? assigned.values().stream()
            .filter(a -> caller.mayRead(a.partition().topic()))
            .toList()
        : partitions.stream().map(tp -> requireAssigned(assigned, tp)).toList();
    Map<PartitionKey, Long> positions = new LinkedHashMap<>();
    for (Assignment a : targets) {
      positions.put(a.key(), offset.applyAsLong(a));
    }
    write(group, id, positions);
  }

  private void write(String group, String id, Map<PartitionKey, Long> positions) {
    if (!store.seek(group, id, positions)) {
      throw GroupErrors.illegalState("The assignment of consumer instance '" + id
          + "' changed during the seek; nothing moved.");
    }
  }

  private Map<TopicPartition, Assignment> assignedByPartition(String group, String id) {
    Map<TopicPartition, Assignment> out = new LinkedHashMap<>();
    for (Assignment a : store.assignments(group, id)) {
      out.put(a.partition(), a);
    }
    return out;
  }

  private static Assignment requireAssigned(
      Map<TopicPartition, Assignment> assigned, TopicPartition tp) {
    Assignment a = assigned.get(tp);
    if (a == null) {
      throw GroupErrors.illegalState("No current assignment for partition " + tp + ".");
    }
    return a;
  }
}
