package io.rowstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kafka listener's framing and version negotiation, over raw frames on the real port: what
 * ApiVersions advertises, KIP-511's answer to an ApiVersions version it does not know, and the
 * connections Kafka closes (an unknown API or version, a frame over the limit, a garbage body),
 * while the node keeps serving every other connection.
 */
class KafkaListenerTest {
  private static final int MAX_REQUEST_BYTES = 64 * 1024;
  private static TestBroker broker;
  private static int port;

  @BeforeAll
  static void start() {
    broker = TestBroker.start(
        "kafka-listener",
        c -> c.withKafka(
            c.kafka().withRequests(c.kafka().requests().withLimits(MAX_REQUEST_BYTES, 3))));
    port = broker.node(0).kafkaPort();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void api_versions_advertises_exactly_the_served_apis_with_their_ranges() throws IOException {
    try (KafkaWire wire = new KafkaWire(port)) {
      ApiVersionsResponse r = (ApiVersionsResponse) wire.call(
          ApiKeys.API_VERSIONS,
          (short) 3,
          new ApiVersionsRequestData()
              .setClientSoftwareName("rowstream-test")
              .setClientSoftwareVersion("1.0"));
      assertThat(r.data().errorCode()).isEqualTo(Errors.NONE.code());
      ApiVersion metadata = r.apiVersion(ApiKeys.METADATA.id);
      assertThat(metadata.minVersion()).isZero();
      assertThat(metadata.maxVersion()).isEqualTo(ApiKeys.METADATA.latestVersion());
      assertThat(r.apiVersion(ApiKeys.API_VERSIONS.id).maxVersion())
          .isEqualTo(ApiKeys.API_VERSIONS.latestVersion());
    }
  }

  @Test
  void api_versions_v3_with_a_malformed_client_software_name_is_an_invalid_request()
      throws IOException {
    try (KafkaWire wire = new KafkaWire(port)) {
      ApiVersionsResponse r = (ApiVersionsResponse) wire.call(
          ApiKeys.API_VERSIONS,
          (short) 3,
          new ApiVersionsRequestData()
              .setClientSoftwareName("not a name!")
              .setClientSoftwareVersion("1.0"));
      assertThat(r.data().errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
    }
  }

  @Test
  void an_api_versions_version_the_node_does_not_know_is_answered_at_v0_with_its_range()
      throws IOException {
    try (KafkaWire wire = new KafkaWire(port)) {
      RequestHeader header = new RequestHeader(ApiKeys.API_VERSIONS, (short) 99, "future", 7);
      wire.send(header, new byte[] {1, 2, 3, 4, 5});
      ApiVersionsResponse r =
          (ApiVersionsResponse) wire.parse(ApiKeys.API_VERSIONS, (short) 0, header);
      assertThat(r.data().errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
      assertThat(r.data().apiKeys()).hasSize(1);
      ApiVersion range = r.apiVersion(ApiKeys.API_VERSIONS.id);
      assertThat(range.minVersion()).isZero();
      assertThat(range.maxVersion()).isEqualTo(ApiKeys.API_VERSIONS.latestVersion());
      // The connection stays usable: the client retries at a version in range.
      ApiVersionsResponse retry = (ApiVersionsResponse)
          wire.call(ApiKeys.API_VERSIONS, (short) 0, new ApiVersionsRequestData());
      assertThat(retry.data().errorCode()).isEqualTo(Errors.NONE.code());
    }
  }

  @Test
  void an_unsupported_version_of_another_api_closes_the_connection() throws IOException {
    try (KafkaWire wire = new KafkaWire(port)) {
      wire.send(new RequestHeader(ApiKeys.METADATA, (short) 99, "future", 1), new byte[8]);
      assertThat(wire.closedByPeer()).isTrue();
    }
    assertServing();
  }

  @Test
  void an_api_the_node_does_not_serve_closes_the_connection() throws IOException {
    try (KafkaWire wire = new KafkaWire(port)) {
      // DescribeLogDirs: a real API Rowstream does not serve.
      wire.send(new RequestHeader(ApiKeys.DESCRIBE_LOG_DIRS, (short) 1, "t", 1), new byte[4]);
      assertThat(wire.closedByPeer()).isTrue();
    }
    try (KafkaWire wire = new KafkaWire(port)) {
      // An api key no Kafka version knows.
      ByteBuffer frame = ByteBuffer.allocate(10)
          .putShort((short) 999)
          .putShort((short) 0)
          .putInt(1)
          .putShort((short) -1)
          .flip();
      wire.sendFrame(frame);
      assertThat(wire.closedByPeer()).isTrue();
    }
    assertServing();
  }

  @Test
  void a_frame_over_the_limit_or_of_negative_length_closes_the_connection() throws IOException {
    try (KafkaWire wire = new KafkaWire(port)) {
      wire.sendRaw(ByteBuffer.allocate(4).putInt(MAX_REQUEST_BYTES + 1).array());
      assertThat(wire.closedByPeer()).isTrue();
    }
    try (KafkaWire wire = new KafkaWire(port)) {
      wire.sendRaw(ByteBuffer.allocate(4).putInt(-5).array());
      assertThat(wire.closedByPeer()).isTrue();
    }
    assertServing();
  }

  @Test
  void a_garbage_body_closes_the_connection_and_a_truncated_frame_harms_no_other()
      throws IOException {
    try (KafkaWire wire = new KafkaWire(port)) {
      byte[] garbage = new byte[40];
      java.util.Arrays.fill(garbage, (byte) 0x7f);
      wire.send(new RequestHeader(ApiKeys.METADATA, (short) 12, "t", 1), garbage);
      assertThat(wire.closedByPeer()).isTrue();
    }
    try (KafkaWire truncated = new KafkaWire(port)) {
      truncated.sendRaw(ByteBuffer.allocate(8).putInt(1000).putInt(42).array());
      assertServing(); // while the truncated frame waits for its rest
    }
    assertServing();
  }

  @Test
  void connections_over_the_per_address_limit_are_closed_at_once() throws IOException {
    // A node of its own, so that no connection of another test counts against the limit.
    try (TestBroker limited = TestBroker.start(
        "kafka-listener-limit",
        c -> c.withKafka(
            c.kafka().withRequests(c.kafka().requests().withLimits(MAX_REQUEST_BYTES, 3))))) {
      int limitedPort = limited.node(0).kafkaPort();
      try (KafkaWire a = new KafkaWire(limitedPort);
          KafkaWire b = new KafkaWire(limitedPort);
          KafkaWire c = new KafkaWire(limitedPort)) {
        metadata(a);
        metadata(b);
        metadata(c);
        try (KafkaWire d = new KafkaWire(limitedPort)) {
          assertThat(d.closedByPeer()).isTrue();
        }
        metadata(a); // the connections within the limit are served on
      }
    }
  }

  private static void assertServing() throws IOException {
    try (KafkaWire wire = new KafkaWire(port)) {
      assertThat(metadata(wire).brokers()).hasSize(1);
    }
  }

  private static MetadataResponse metadata(KafkaWire wire) throws IOException {
    return (MetadataResponse)
        wire.call(ApiKeys.METADATA, (short) 12, new MetadataRequestData().setTopics(List.of()));
  }
}
