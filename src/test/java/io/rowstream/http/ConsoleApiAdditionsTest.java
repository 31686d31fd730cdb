package io.rowstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestHttp.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The public facts the web console shows that the REST Proxy lacks, over real HTTP with
 * authentication on: a partition's leader epoch, log start and end and size, its segments, a
 * broker's start and lease, reading a partition from a time; and the console's own files, served
 * without credentials.
 */
class ConsoleApiAdditionsTest {
  private static TestBroker broker;
  private static TestHttp admin;
  private static String base;

  @BeforeAll
  static void start() {
    broker = TestBroker.startWithAuth("console_api");
    admin = broker.admin();
    base = "/v3/clusters/" + admin.clusterId();
    // Small segments, so that one partition has several.
    broker
        .node(0)
        .services()
        .topics()
        .create("rolled", 2, 1, Map.of("internal.segment.bytes", "1024"));
    // 8 requests of 5 records: a batch each, about 600 bytes, so segments roll every 2 batches.
    for (int batch = 0; batch < 8; batch++) {
      StringBuilder records = new StringBuilder();
      for (int i = batch * 5; i < batch * 5 + 5; i++) {
        records
            .append(i == batch * 5 ? "" : ",")
            .append("{\"partition\":0,\"value\":\"")
            .append("x".repeat(100))
            .append("\",\"timestamp\":")
            .append(1_000 * (i + 1))
            .append('}');
      }
      admin
          .post("/topics/rolled", TestHttp.JSON, "{\"records\":[" + records + "]}")
          .expectStatus(200);
    }
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void a_partition_reports_its_leader_epoch_log_offsets_and_size() {
    JsonNode p0 =
        admin.get(base + "/topics/rolled/partitions/0").expectStatus(200).json();
    assertThat(p0.get("leader_epoch").asInt()).isEqualTo((int)
        broker.queryLong("select leader_epoch from topic_partition where partition_id = 0"));
    assertThat(p0.get("log_start_offset").asLong()).isZero();
    assertThat(p0.get("log_end_offset").asLong()).isEqualTo(40);
    assertThat(p0.get("size_bytes").asLong())
        .isEqualTo(broker.queryLong("select sum(size_bytes) from segment where partition_id = 0"))
        .isPositive();
    assertThat(p0.get("segments_count").asInt()).isGreaterThan(1);

    JsonNode list =
        admin.get(base + "/topics/rolled/partitions").expectStatus(200).json();
    JsonNode p1 = list.get("data").get(1);
    assertThat(p1.get("log_end_offset").asLong()).isZero();
    assertThat(p1.get("size_bytes").asLong()).isZero();
    assertThat(list.get("data").get(0).get("size_bytes")).isEqualTo(p0.get("size_bytes"));
  }

  @Test
  void a_partitions_segments_tile_its_log_oldest_first_and_only_the_last_is_active() {
    JsonNode list = admin
        .get(base + "/topics/rolled/partitions/0/segments")
        .expectStatus(200)
        .json();
    assertThat(list.get("kind").asText()).isEqualTo("RowstreamSegmentList");
    List<JsonNode> segments = new ArrayList<>();
    list.get("data").forEach(segments::add);
    assertThat(segments)
        .hasSize((int) broker.queryLong("select count(*) from segment where partition_id = 0"));
    long next = 0;
    long bytes = 0;
    for (JsonNode s : segments) {
      assertThat(s.get("kind").asText()).isEqualTo("RowstreamSegment");
      assertThat(s.get("base_offset").asLong()).isEqualTo(next);
      next = s.get("next_offset").asLong();
      bytes += s.get("size_bytes").asLong();
      assertThat(s.get("record_count").asLong())
          .isEqualTo(next - s.get("base_offset").asLong());
      assertThat(s.get("active").asBoolean()).isEqualTo(s == segments.getLast());
      assertThat(s.get("rolled_at").isNull()).isEqualTo(s == segments.getLast());
    }
    assertThat(next).isEqualTo(40);
    assertThat(bytes)
        .isEqualTo(admin
            .get(base + "/topics/rolled/partitions/0")
            .json()
            .get("size_bytes")
            .asLong());
    assertThat(segments.getFirst().get("min_timestamp").asText())
        .isEqualTo(Instant.ofEpochMilli(1_000).toString());

    JsonNode second = segments.get(1);
    String self = second.get("metadata").get("self").asText();
    JsonNode one =
        admin.get(self.substring(admin.baseUrl().length())).expectStatus(200).json();
    assertThat(one).isEqualTo(second);
  }

  @Test
  void segments_of_unknown_partitions_and_offsets_are_404_and_need_describe() {
    TestHttp.assertError(admin.get(base + "/topics/rolled/partitions/9/segments"), 404, 404);
    TestHttp.assertError(admin.get(base + "/topics/nope/partitions/0/segments"), 404, 40403);
    TestHttp.assertError(admin.get(base + "/topics/rolled/partitions/0/segments/7"), 404, 404);
    TestHttp outsider = admin.createUser("outsider", "outsider-pw");
    TestHttp.assertError(outsider.get(base + "/topics/rolled/partitions/0/segments"), 403, 40301);
  }

  @Test
  void a_broker_reports_when_it_started_and_when_its_lease_expires() {
    JsonNode b = admin.get(base + "/brokers").json().get("data").get(0);
    Instant started = Instant.parse(b.get("started_at").asText());
    Instant lease = Instant.parse(b.get("lease_expires_at").asText());
    assertThat(lease).isAfter(started);
    assertThat(b.get("state").asText()).isEqualTo("LIVE");
  }

  @Test
  void a_partition_reads_from_the_first_record_at_or_after_a_time() {
    assertThat(offsetsFrom("timestamp=2500")).startsWith(2L, 3L);
    assertThat(offsetsFrom("timestamp=3000")).startsWith(2L);
    assertThat(offsetsFrom("timestamp=0")).startsWith(0L);
    assertThat(offsetsFrom("timestamp=99000")).isEmpty();
    TestHttp.assertError(
        admin.get("/topics/rolled/partitions/0/records?timestamp=1&offset=0"), 400, 40002);
    TestHttp.assertError(admin.get("/topics/rolled/partitions/0/records?timestamp=-1"), 400, 40002);
  }

  private static List<Long> offsetsFrom(String query) {
    JsonNode records = admin
        .get("/topics/rolled/partitions/0/records?" + query, "Accept", TestHttp.BINARY)
        .expectStatus(200)
        .json();
    List<Long> offsets = new ArrayList<>();
    records.forEach(r -> offsets.add(r.get("offset").asLong()));
    return offsets;
  }

  @Test
  void the_console_is_served_to_anyone_with_a_policy_that_keeps_it_to_this_node() {
    TestHttp anonymous = broker.http();
    Response page = anonymous.get("/ui", "Accept", "text/html");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.body()).contains("<script type=\"module\" src=\"/ui/app.js\">");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("default-src 'self'")
        .contains("script-src 'self'");
    Response script = anonymous.get("/ui/app.js");
    assertThat(script.status()).isEqualTo(200);
    assertThat(script.contentType()).startsWith("text/javascript");
    TestHttp.assertError(anonymous.get("/ui/nothing.js"), 404, 404);
    TestHttp.assertError(anonymous.get("/ui/..%2Fpom.xml"), 404, 404);
    // The API behind it still wants credentials.
    TestHttp.assertError(anonymous.get(base + "/topics"), 401, 40101);
  }
}
