package io.rowstream.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.OpsConfig;
import io.rowstream.log.LogRecord;
import io.rowstream.log.RecordBatchCodec;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster's node secret makes its bearer a node, not a super user: a node may use the internal
 * append route and nothing else, and nobody else may use that route. The route applies the same
 * limits as the public produce path.
 */
class NodeIdentityTest {
  private static final int MAX_RECORDS = 3;
  private static final int MAX_HEADERS = 2;
  private static TestBroker broker;
  private static TestHttp admin;
  private static TestHttp node;
  private static String appendPath;

  @BeforeAll
  static void start() {
    OpsConfig.Auth auth = new OpsConfig.Auth(
        true,
        Set.of("User:admin"),
        Optional.of("admin"),
        Optional.of("s3cret-admin"),
        false,
        Duration.ofSeconds(5));
    OpsConfig.Limits limits =
        new OpsConfig.Limits(MAX_RECORDS, MAX_HEADERS, 1024, 1_000, 10_000, 0, 0);
    broker = TestBroker.start(
        "node_identity", c -> c.withOps(c.ops().withAuth(auth).withLimits(limits)));
    admin = broker.http().as("admin", "s3cret-admin");
    admin.createTopic("orders", 1);
    assertThat(admin
            .post(
                "/v3/clusters/" + admin.clusterId() + "/topics/orders/configs:alter",
                "application/json",
                TestHttp.json(
                    Map.of("data", List.of(Map.of("name", "max.message.bytes", "value", "2000")))))
            .status())
        .isEqualTo(204);
    node = broker
        .http()
        .withAuthorization("Bearer " + broker.queryText("select node_secret from cluster"));
    appendPath = "/internal/v1/topics/orders/partitions/0/append?topic_id="
        + broker.queryLong("select topic_id from topic where name = 'orders'");
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void the_node_secret_as_a_bearer_token_cannot_list_acls() {
    TestHttp.assertError(node.get("/v3/clusters/" + admin.clusterId() + "/acls"), 403, 40301);
  }

  @Test
  void the_node_secret_as_a_bearer_token_cannot_produce_or_manage_users() {
    TestHttp.assertError(
        node.post(
            "/topics/orders",
            TestHttp.BINARY,
            TestHttp.json(Map.of("records", List.of(Map.of("value", "aGk="))))),
        403,
        40301);
    TestHttp.assertError(
        node.post(
            "/v3/clusters/" + admin.clusterId() + "/users",
            "application/json",
            TestHttp.json(Map.of("name", "mallory", "password", "owned"))),
        403,
        40301);
    TestHttp.assertError(node.get("/brokers"), 403, 40301);
  }

  @Test
  void a_super_user_is_refused_on_the_internal_append_route() {
    long end = logEnd();
    TestHttp.assertError(
        admin.bytes("POST", appendPath, "application/octet-stream", batch(1, 0, 10)), 403, 40301);
    assertThat(logEnd()).isEqualTo(end);
  }

  @Test
  void a_node_may_append_through_the_internal_route() {
    long end = logEnd();
    var r = node.bytes("POST", appendPath, "application/octet-stream", batch(MAX_RECORDS, 0, 10));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(logEnd()).isEqualTo(end + MAX_RECORDS);
  }

  @Test
  void the_internal_append_refuses_a_batch_over_the_record_limit() {
    long end = logEnd();
    TestHttp.assertError(
        node.bytes("POST", appendPath, "application/octet-stream", batch(MAX_RECORDS + 1, 0, 10)),
        413,
        41301);
    assertThat(logEnd()).isEqualTo(end);
  }

  @Test
  void the_internal_append_refuses_records_over_the_header_limit() {
    long end = logEnd();
    TestHttp.assertError(
        node.bytes("POST", appendPath, "application/octet-stream", batch(1, MAX_HEADERS + 1, 10)),
        413,
        41301);
    assertThat(logEnd()).isEqualTo(end);
  }

  @Test
  void the_internal_append_refuses_a_record_over_max_message_bytes() {
    long end = logEnd();
    TestHttp.assertError(
        node.bytes("POST", appendPath, "application/octet-stream", batch(1, 0, 5000)), 413, 41301);
    assertThat(logEnd()).isEqualTo(end);
  }

  private static long logEnd() {
    return broker.queryLong(
        "select log_end_offset from topic_partition p join topic t using (topic_id) "
            + "where t.name = 'orders'");
  }

  private static byte[] batch(int records, int headersEach, int valueBytes) {
    List<LogRecord> list = new ArrayList<>();
    byte[] value = new byte[valueBytes];
    Arrays.fill(value, (byte) 'v');
    for (int i = 0; i < records; i++) {
      List<LogRecord.Header> headers = new ArrayList<>();
      for (int h = 0; h < headersEach; h++) {
        headers.add(new LogRecord.Header("h" + h, "x".getBytes(StandardCharsets.UTF_8)));
      }
      list.add(new LogRecord(null, value, headers, System.currentTimeMillis()));
    }
    ByteBuffer b = RecordBatchCodec.encode(0, list, false, 0);
    return Arrays.copyOfRange(
        b.array(), b.arrayOffset() + b.position(), b.arrayOffset() + b.limit());
  }
}
