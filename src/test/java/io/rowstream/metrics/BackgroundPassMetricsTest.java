package io.rowstream.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.Await;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} counts and times the passes of the node's background loops (what an idle
 * node does: the cluster tick with the controller's pass, the group reaper, log maintenance).
 */
class BackgroundPassMetricsTest {
  private static TestBroker broker;
  private static TestHttp http;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("background_pass_metrics", c -> c.withLogMaintenanceIntervalMs(50));
    http = broker.http();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void metrics_count_and_time_the_passes_of_the_background_loops() {
    Await.until(
        "cluster, group reaper and log maintenance passes are counted",
        Duration.ofSeconds(10),
        () -> http.get("/metrics")
            .body()
            .contains("rowstream_background_passes_total{loop=\"log-maintenance\"}"));
    String body = http.get("/metrics").body();
    assertThat(body)
        .contains(
            "rowstream_background_passes_total{loop=\"cluster\"}",
            "rowstream_background_pass_seconds_total{loop=\"cluster\"}",
            "rowstream_background_pass_max_seconds{loop=\"cluster\"}",
            "rowstream_background_passes_total{loop=\"group-reaper\"}");
    assertThat(http.metric("rowstream_background_pass_seconds_total{loop=\"cluster\"}"))
        .isPositive();
  }
}
