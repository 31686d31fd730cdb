package io.rowstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.TestBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The load generator runs (a tiny run, with a tiny prefilled topic) and its report parses; it
 * measures nothing here. The Kafka comparison needs a Kafka, so it is not run here: without
 * {@code --kafka-bootstrap} it is skipped and its row absent.
 */
class BenchSmokeTest {

  @Test
  void a_tiny_run_against_a_node_prints_a_report_with_every_workload() throws Exception {
    try (TestBroker broker = TestBroker.start("bench_smoke")) {
      var db = broker.database();
      List<String> args = new ArrayList<>(List.of(
          "--url",
          broker.node(0).baseUrl(),
          "--db-url",
          db.url(),
          "--db-user",
          db.user(),
          "--records-per-request",
          "20",
          "--clients",
          "2",
          "--partitions",
          "2",
          "--produce-seconds",
          "1",
          "--warmup-seconds",
          "0",
          "--latency-rate",
          "50",
          "--latency-warmup-seconds",
          "0",
          "--latency-seconds",
          "1",
          "--prefill-records",
          "300",
          "--prefill-record-bytes",
          "100"));
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      Report report = Bench.run(
          BenchOptions.parse(args.toArray(String[]::new)),
          new PrintStream(printed, true, StandardCharsets.UTF_8));

      assertThat(report.produce().records()).isPositive();
      assertThat(report.fetch().records())
          .as("with no warm-up, catch-up reads exactly what was produced")
          .isEqualTo(report.produce().records());
      assertThat(report.latency().records()).isEqualTo(50);
      assertThat(report.postgresCommitLatency().records())
          .as("every scheduled insert committed")
          .isEqualTo(50);
      assertThat(report.kafkaProduce()).as("no --kafka-bootstrap, no Kafka run").isNull();
      assertThat(broker.queryLong(
              "select sum(p.log_end_offset) from topic_partition p join topic t using (topic_id)"
                  + " where t.name like 'bench-prefilled-%'"))
          .as("the fill, then the measured run (no warm-up)")
          .isEqualTo(300 + report.prefilled().records());
      List<String> rows = printed
          .toString(StandardCharsets.UTF_8)
          .lines()
          .filter(l -> l.startsWith("| "))
          .toList();
      assertThat(rows)
          .extracting(r -> r.split("\\|")[1].trim())
          .containsExactly(
              "workload",
              "rowstream produce",
              "postgres binary COPY",
              "rowstream catch-up fetch",
              "postgres binary COPY out",
              "end-to-end latency @ 50 rec/s",
              "produce acknowledged @ 50 rec/s (same requests)",
              "postgres insert + commit @ 50 rec/s (same schedule)",
              "rowstream prefill, 300 records",
              "rowstream produce, empty topic",
              "rowstream produce, 300 records in topic");
      for (String row : rows.subList(1, rows.size())) {
        assertThat(Double.parseDouble(row.split("\\|")[2].trim())).as(row).isPositive();
      }
    }
  }

  @Test
  void without_a_url_it_starts_a_node_in_a_process_of_its_own_and_stops_it() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Report report = Bench.run(
        BenchOptions.parse(new String[] {
          "--records-per-request",
          "10",
          "--clients",
          "1",
          "--partitions",
          "1",
          "--produce-seconds",
          "1",
          "--warmup-seconds",
          "0",
          "--latency-rate",
          "20",
          "--latency-warmup-seconds",
          "0",
          "--latency-seconds",
          "1"
        }),
        new PrintStream(printed, true, StandardCharsets.UTF_8));

    assertThat(report.produce().records()).isPositive();
    assertThat(report.latency().records()).isEqualTo(20);
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("- node: started in its own JVM (-XX:MaxGCPauseMillis=20); before the latency"
            + " run: VACUUM (ANALYZE) + CHECKPOINT in");
    assertThat(ProcessHandle.current()
            .children()
            .filter(p -> p.info().commandLine().orElse("").contains("io.rowstream.Main"))
            .toList())
        .as("the node process is gone after the run")
        .isEmpty();
  }

  @Test
  void unknown_or_malformed_flags_are_refused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> BenchOptions.parse(new String[] {"--nope", "1"}))
        .hasMessageContaining("unknown flags");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> BenchOptions.parse(new String[] {"--clients", "many"}))
        .hasMessageContaining("--clients must be an integer");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> BenchOptions.parse(new String[] {"--url", "http://x"}))
        .hasMessageContaining("go together");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> BenchOptions.parse(new String[] {"--prefill-records", "-1"}))
        .hasMessageContaining("--prefill-records");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> BenchOptions.parse(new String[] {"--node", "vm"}))
        .hasMessageContaining("--node is process or jvm");
  }
}
