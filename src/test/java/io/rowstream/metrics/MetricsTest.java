package io.rowstream.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestHttp.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MetricsTest {
  private static TestBroker broker;
  private static TestHttp http;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("metrics");
    http = broker.http();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void metrics_expose_the_named_series_after_traffic() {
    http.createTopic("metered", 1);
    assertThat(http.post(
                "/topics/metered",
                TestHttp.BINARY,
                "{\"records\":[{\"value\":\"aGVsbG8=\"},{\"value\":\"aGk=\"}]}")
            .status())
        .isEqualTo(200);
    assertThat(http.get("/topics/metered/partitions/0/records?offset=0", "Accept", TestHttp.BINARY)
            .status())
        .isEqualTo(200);
    http.post(
        "/consumers/meters",
        TestHttp.V2,
        "{\"name\":\"c1\",\"format\":\"binary\",\"auto.offset.reset\":\"earliest\"}");
    http.post(
        "/consumers/meters/instances/c1/assignments",
        TestHttp.V2,
        "{\"partitions\":[{\"topic\":\"metered\",\"partition\":0}]}");
    assertThat(http.post(
                "/consumers/meters/instances/c1/offsets",
                TestHttp.V2,
                "{\"offsets\":[{\"topic\":\"metered\",\"partition\":0,\"offset\":0}]}")
            .status())
        .isEqualTo(200);

    Response r = http.get("/metrics");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("text/plain");
    assertThat(r.body())
        .contains(
            "rowstream_http_requests_seconds_count{method=\"POST\",route=\"/topics/{t}\",status=\"200\"} 1",
            "rowstream_http_requests_seconds_bucket{",
            "rowstream_topic_in_records_total{topic=\"metered\"} 2.0",
            "rowstream_topic_in_bytes_total{topic=\"metered\"} 7.0",
            "rowstream_topic_out_records_total{topic=\"metered\"} 2.0",
            "rowstream_topic_out_bytes_total{topic=\"metered\"} 7.0",
            "rowstream_produce_batch_records_count 1",
            "rowstream_produce_commit_seconds_bucket{",
            "rowstream_long_polls_waiting 0.0",
            "rowstream_db_pool_connections{state=\"active\"}",
            "rowstream_consumer_group_lag_records{group=\"meters\",topic=\"metered\"} 1.0",
            "jvm_memory_used_bytes{",
            "jvm_threads_live_threads",
            "process_uptime_seconds");
  }

  @Test
  void ready_reports_the_database_and_migrations() {
    Response r = http.get("/status/ready");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("database").asText()).isEqualTo("reachable");
    assertThat(r.json().get("migrations").asText()).isEqualTo("applied");
  }
}
