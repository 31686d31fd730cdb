package io.rowstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.OpsConfig;
import io.rowstream.produce.Acks;
import io.rowstream.produce.ProduceRecord;
import io.rowstream.support.Await;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestHttp.Response;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node's budget of fetch bytes in flight ({@code ROWSTREAM_MAX_FETCH_BYTES_IN_FLIGHT}): a fetch
 * holds twice its {@code max_bytes} (the heap it takes at its peak) from before it reads until its
 * response is written; one that does not
 * fit beside the others is 429 / 42901 with {@code Retry-After}, and every way out, errors too,
 * gives the bytes back.
 */
class FetchMemoryBudgetTest {
  private static final long BUDGET = 1_000_000;
  private static TestBroker broker;
  private static TestHttp http;

  @BeforeAll
  static void start() {
    OpsConfig.Limits limits = OpsConfig.Limits.defaults().withMaxFetchBytesInFlight(BUDGET);
    broker = TestBroker.start("fetch_budget", c -> c.withOps(c.ops().withLimits(limits)));
    http = broker.http();
    http.createTopic("empty-until-later", 1);
    http.createTopic("filled", 1);
    // "aGk=" is "hi": bytes, not JSON, so a json-format read of it fails after the fetch.
    Response r = http.post(
        "/topics/filled",
        TestHttp.BINARY,
        "{\"records\":[{\"value\":\"aGk=\"},{\"value\":\"aGk=\"}]}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static Response fetch(String topic, long maxBytes, long timeoutMs, String accept) {
    return http.get(
        "/topics/" + topic + "/partitions/0/records?offset=0&max_bytes=" + maxBytes + "&timeout="
            + timeoutMs,
        "Accept",
        accept);
  }

  /** The node's gauge of fetch bytes in flight. */
  private static double inFlight() {
    return http.metric("rowstream_fetch_bytes_in_flight");
  }

  @Test
  void a_fetch_beyond_the_bytes_in_flight_is_429_and_the_budget_is_whole_again_after()
      throws Exception {
    CompletableFuture<Response> waiting = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> waiting.complete(fetch("empty-until-later", 300_000, 20_000, TestHttp.BINARY)));
    Await.until(
        "the first fetch waits, holding its bytes",
        Duration.ofSeconds(10),
        () -> broker.node(0).services().log().waiting() == 1);

    Response refused = fetch("filled", 300_000, 0, TestHttp.BINARY);
    TestHttp.assertError(refused, 429, 42901);
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(inFlight()).isEqualTo(600_000);
    String member = "/consumers/budget/instances/c";
    assertThat(http.post(
                "/consumers/budget",
                TestHttp.V2,
                "{\"name\":\"c\",\"auto.offset.reset\":\"earliest\"}")
            .status())
        .isEqualTo(200);
    assertThat(http.post(member + "/subscription", TestHttp.V2, "{\"topics\":[\"filled\"]}")
            .status())
        .isEqualTo(204);
    TestHttp.assertError(
        http.get(member + "/records?timeout=0&max_bytes=300000", "Accept", TestHttp.BINARY),
        429,
        42901);
    assertThat(fetch("filled", 200_000, 0, TestHttp.BINARY).status())
        .as("what fits beside it")
        .isEqualTo(200);

    broker
        .node(0)
        .services()
        .produce()
        .produce(
            "empty-until-later",
            List.of(new ProduceRecord(0, null, new byte[] {1}, List.of(), null)),
            Acks.ALL);
    assertThat(waiting.get().status()).isEqualTo(200);
    assertThat(inFlight()).isZero();
    assertThat(fetch("filled", BUDGET, 0, TestHttp.BINARY).status()).isEqualTo(200);
    assertThat(
            http.get(member + "/records?timeout=0&max_bytes=" + BUDGET, "Accept", TestHttp.BINARY)
                .status())
        .isEqualTo(200);
  }

  @Test
  void a_fetch_that_fails_after_reserving_gives_its_bytes_back() {
    for (int i = 0; i < 3; i++) {
      Response failed = fetch("filled", 600_000, 0, TestHttp.JSON);
      assertThat(failed.status()).as(failed.body()).isEqualTo(422);
    }
    assertThat(inFlight()).isZero();
    assertThat(fetch("filled", BUDGET, 0, TestHttp.BINARY).status()).isEqualTo(200);
  }

  @Test
  void a_fetch_asking_for_more_than_the_whole_budget_is_served_within_it() {
    Response r = fetch("filled", 64L * 1024 * 1024, 0, TestHttp.BINARY);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json()).hasSize(2);
  }
}
