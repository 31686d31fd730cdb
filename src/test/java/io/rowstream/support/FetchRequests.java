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
    return new FetchRequestData()
        .setMaxWaitMs(maxWaitMs)
        .setMinBytes(1)
        .setMaxBytes(1 << 20)
        .setSessionEpoch(-1)
        .setTopics(List.of(new FetchTopic()
            .setTopic(topic)
            .setPartitions(IntStream.range(0, partitions)
                .mapToObj(p -> new FetchPartition()
                    .setPartition(p)
                    .setFetchOffset(offset)
                    .setPartitionMaxBytes(1 << 20)
                    .setCurrentLeaderEpoch(-1))
                .toList())));
  }
}
