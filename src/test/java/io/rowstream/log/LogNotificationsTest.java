package io.rowstream.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.Await;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Append notifications between nodes ({@code db.Notifications}, {@link LogAppendListener}): a node
 * whose listening connection is cut listens again, and a long-poll on it still wakes on another
 * node's produce, well before the slow re-check that covers lost notifications (10 s).
 */
class LogNotificationsTest {
  private static final String LISTENING = "select count(*) from pg_stat_activity"
      + " where application_name like '%-listen' and query = 'LISTEN rowstream_log'";

  static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("log_notifications");
    broker.startNode();
    broker.node(0).services().topics().create("told", 1, 1, Map.of());
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void a_long_poll_wakes_on_another_nodes_produce_after_the_listening_connection_was_cut()
      throws Exception {
    Await.until(
        "both nodes listen", Duration.ofSeconds(10), () -> broker.queryLong(LISTENING) == 2);
    assertThat(broker.queryLong("select count(pg_terminate_backend(pid)) from pg_stat_activity"
            + " where application_name like '%-listen' and query = 'LISTEN rowstream_log'"))
        .isEqualTo(2);
    Await.until(
        "both nodes listen again", Duration.ofSeconds(10), () -> broker.queryLong(LISTENING) == 2);

    long end = broker.queryLong("select log_end_offset from topic_partition");
    long started = System.nanoTime();
    CompletableFuture<TestHttp.Response> poll = CompletableFuture.supplyAsync(() -> broker
        .http(0)
        .get(
            "/topics/told/partitions/0/records?offset=" + end + "&timeout=20000",
            "Accept",
            TestHttp.JSON));
    Await.until(
        "the poll waits on node 0",
        Duration.ofSeconds(10),
        () -> broker.node(0).services().log().waiting() > 0);
    var produced = broker
        .http(1)
        .post(
            "/topics/told/partitions/0",
            TestHttp.JSON,
            TestHttp.json(Map.of("records", List.of(Map.of("value", "after the cut")))));
    assertThat(produced.status()).as(produced.body()).isEqualTo(200);

    TestHttp.Response response = poll.get(20, TimeUnit.SECONDS);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.json().get(0).get("value").asText()).isEqualTo("after the cut");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
        .as("woken by the notification, not by the 10 s re-check")
        .isLessThan(8_000);
  }
}
