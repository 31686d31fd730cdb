package io.rowstream.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GracefulShutdownTest {

  @Test
  void stopping_a_node_answers_its_waiting_long_polls_at_once_and_marks_it_offline()
      throws Exception {
    try (TestBroker broker = TestBroker.start("shutdown")) {
      broker.node(0).services().topics().create("quiet", 1, 1, Map.of());
      TestHttp http = broker.http();
      CompletableFuture<TestHttp.Response> poll = CompletableFuture.supplyAsync(() -> http.get(
          "/topics/quiet/partitions/0/records?offset=0&timeout=30000", "Accept", TestHttp.BINARY));
      while (broker.node(0).services().log().waiting() == 0) {
        Thread.onSpinWait();
      }
      long started = System.nanoTime();
      broker.stopNode(0);
      TestHttp.Response response = poll.get(15, TimeUnit.SECONDS);
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json()).isEmpty();
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(10_000);
      assertThat(broker.queryLong("select count(*) from broker where lease_expires_at > now()"))
          .isZero();
    }
  }
}
