package io.rowstream.produce;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.utils.Utils;

/**
 * Chooses a partition the way Kafka's default partitioner does: a keyed record goes to
 * {@code toPositive(murmur2(key)) % partitions}, so one key always lands in one partition; keyless
 * records of one request stick to one partition, chosen round-robin per topic.
 */
public final class KeyPartitioner {
  private final ConcurrentHashMap<Long, AtomicInteger> nextByTopic = new ConcurrentHashMap<>();

  public static int partitionForKey(byte[] key, int partitionCount) {
    return Utils.toPositive(Utils.murmur2(key)) % partitionCount;
  }

  /** The partition for this request's keyless records (one per request, rotating across requests). */
  public int stickyPartition(long topicId, int partitionCount) {
    int next = nextByTopic.computeIfAbsent(topicId, t -> new AtomicInteger()).getAndIncrement();
    return Utils.toPositive(next) % partitionCount;
  }
}
