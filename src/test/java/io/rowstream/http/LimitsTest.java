package io.rowstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.OpsConfig;
import io.rowstream.produce.Acks;
import io.rowstream.produce.ProduceRecord;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestHttp.Response;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each limit is a clear 413 or 429 with the contract's error code, and writes nothing. */
class LimitsTest {
  private static final int PRODUCE_BYTE_RATE = 2_000;
  private static TestBroker broker;
  private static TestHttp http;

  @BeforeAll
  static void start() {
    OpsConfig.Limits limits = new OpsConfig.Limits(50, 3, 100, 2, 2, PRODUCE_BYTE_RATE, 0);
    broker = TestBroker.start("limits", c -> c.withOps(c.ops().withLimits(limits)));
    http = broker.http();
    http.createTopic("capped", 1);
    http.createTopic("quiet", 1);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static long chunks() {
    return broker.queryLong("select count(*) from chunk");
  }

  private static String records(int count, List<Map<String, String>> headers) {
    return TestHttp.json(
        Map.of("records", Collections.nCopies(count, Map.of("value", "aGk=", "headers", headers))));
  }

  @Test
  void too_many_records_or_headers_are_413_and_write_nothing() {
    long before = chunks();
    TestHttp.assertError(
        http.post("/topics/capped", TestHttp.BINARY, records(51, List.of())), 413, 41301);
    List<Map<String, String>> four = Collections.nCopies(4, Map.of("name", "h", "value", "aGk="));
    TestHttp.assertError(
        http.post("/topics/capped", TestHttp.BINARY, records(1, four)), 413, 41301);
    List<Map<String, String>> big = List.of(Map.of("name", "h", "value", "QUFB".repeat(40)));
    TestHttp.assertError(http.post("/topics/capped", TestHttp.BINARY, records(1, big)), 413, 41301);
    assertThat(chunks()).isEqualTo(before);
  }

  @Test
  void a_group_holds_at_most_the_configured_consumer_instances() {
    for (String name : List.of("a", "b")) {
      assertThat(http.post("/consumers/crowd", TestHttp.V2, "{\"name\":\"" + name + "\"}")
              .status())
          .isEqualTo(200);
    }
    TestHttp.assertError(
        http.post("/consumers/crowd", TestHttp.V2, "{\"name\":\"c\"}"), 429, 42901);
    assertThat(
            broker.queryLong("select count(*) from consumer_instance where group_name = 'crowd'"))
        .isEqualTo(2);
  }

  @Test
  void a_node_holds_at_most_the_configured_long_polls_and_frees_them() throws Exception {
    String wait = "/topics/quiet/partitions/0/records?offset=0&timeout=20000";
    List<CompletableFuture<Response>> waiting = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      CompletableFuture<Response> read = new CompletableFuture<>();
      Thread.ofVirtual().start(() -> read.complete(http.get(wait, "Accept", TestHttp.BINARY)));
      waiting.add(read);
    }
    // Once both wait on the partition (the node's own count of waiting fetchers), a third is
    // refused.
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (broker.node(0).services().log().waiting() < 2 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    Response third = http.get(
        "/topics/quiet/partitions/0/records?offset=0&timeout=0", "Accept", TestHttp.BINARY);
    TestHttp.assertError(third, 429, 42901);
    assertThat(third.headers().firstValue("Retry-After")).isPresent();
    // A record wakes both waiting reads; their slots are free again.
    // (straight to the service: this principal's produce quota belongs to another test)
    broker
        .node(0)
        .services()
        .produce()
        .produce(
            "quiet",
            List.of(new ProduceRecord(0, null, new byte[] {1}, List.of(), null)),
            Acks.ALL);
    for (CompletableFuture<Response> w : waiting) {
      assertThat(w.get().status()).isEqualTo(200);
    }
    assertThat(http.get(
                "/topics/quiet/partitions/0/records?offset=0&timeout=0", "Accept", TestHttp.BINARY)
            .status())
        .isEqualTo(200);
  }

  @Test
  void a_principal_over_its_produce_byte_rate_gets_429_with_retry_after() {
    String big = TestHttp.json(Map.of(
        "records", List.of(Map.of("value", "QUFB".repeat(2 * PRODUCE_BYTE_RATE / 3)))));
    assertThat(http.post("/topics/capped", TestHttp.BINARY, big).status()).isEqualTo(200);
    long before = chunks();
    Response refused = http.post("/topics/capped", TestHttp.BINARY, big);
    TestHttp.assertError(refused, 429, 42901);
    assertThat(Integer.parseInt(refused.headers().firstValue("Retry-After").orElseThrow()))
        .isBetween(1, 2);
    assertThat(chunks()).isEqualTo(before);
  }
}
