package io.rowstream.cluster;

import java.time.OffsetDateTime;

/**
 * A registered broker node and whether its lease is current.
 *
 * @param kafkaAddress where Kafka clients reach its Kafka listener; null when it has none
 */
public record BrokerInfo(
    int nodeId,
    String advertisedUrl,
    OffsetDateTime startedAt,
    OffsetDateTime leaseExpiresAt,
    boolean live,
    KafkaAddress kafkaAddress) {

  /** The host and port a node advertises to Kafka clients. */
  public record KafkaAddress(String host, int port) {
    public KafkaAddress {
      if (host == null || host.isBlank() || port < 1 || port > 65535) {
        throw new IllegalArgumentException(
            "a Kafka address needs a host and a port 1..65535, got " + host + ":" + port);
      }
    }

    @Override
    public String toString() {
      return host + ":" + port;
    }
  }
}
