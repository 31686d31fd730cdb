package io.rowstream.support;

import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;

/** Kafka Fetch requests as a consumer without a fetch session sends them. */
public final class FetchRequests {
  private FetchRequests() {}

  /**
   * Partitions 0 to {@code partitions - 1} of a topic, each from {@code offset}, up to 1 MiB each
   * and in all, answered at {@code minBytes} 1 or after {@code maxWaitMs}.
   */
  public static FetchRequestData from(String topic, int partitions, long offset, int maxWaitMs) {
    long[] offsets = new long[partitions];
    java.util.Arrays.fill(offsets, offset);
    return from(topic, offsets, maxWaitMs);
  }

  /** Partition {@code p} of a topic from {@code offsets[p]}, otherwise as {@link #from(String, int, long, int)}. */
  public static FetchRequestData from(String topic, long[] offsets, int maxWaitMs) {
    return new FetchRequestData()
        .setMaxWaitMs(maxWaitMs)
        .setMinBytes(1)
        .setMaxBytes(1 << 20)
        .setSessionEpoch(-1)
        .setTopics(List.of(new FetchTopic()
            .setTopic(topic)
            .setPartitions(IntStream.range(0, offsets.length)
                .mapToObj(p -> new FetchPartition()
                    .setPartition(p)
                    .setFetchOffset(offsets[p])
                    .setPartitionMaxBytes(1 << 20)
                    .setCurrentLeaderEpoch(-1))
                .toList())));
  }
}
