package io.rowstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.support.TestBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The retention soak runs both layouts for three seconds at a low rate against a node and prints a
 * row per sample, the minute table and the verdict; it asserts no speed and no bloat.
 */
class RetentionSoakSmokeTest {
  private static TestBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = TestBroker.start("retention_soak");
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void the_rowstream_layout_samples_the_chunk_storage_every_second() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    SoakReport report = RetentionSoak.run(
        options("rowstream"), new PrintStream(printed, true, StandardCharsets.UTF_8));

    assertThat(report.samples()).extracting(SoakSample::endSeconds).containsExactly(1L, 2L, 3L);
    assertThat(report.samples().stream().mapToLong(SoakSample::requests).sum()).isPositive();
    SoakSample last = report.samples().getLast();
    assertThat(last.storage().relations())
        .as("rowstream.chunk, partitioned or not")
        .isPositive();
    assertThat(last.storage().bytes()).isPositive();
    assertThat(last.retained().bytes()).isPositive();
    assertThat(last.retained().segments()).as("20 kB segments").isGreaterThan(1);
    assertPrinted(printed, report, "rowstream.chunk");
  }

  @Test
  void the_delete_baseline_deletes_old_segments_and_drops_its_table() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    SoakReport report = RetentionSoak.run(
        options("delete-baseline", "--maintenance-ms", "200"),
        new PrintStream(printed, true, StandardCharsets.UTF_8));

    assertThat(report.samples()).extracting(SoakSample::endSeconds).containsExactly(1L, 2L, 3L);
    SoakSample last = report.samples().getLast();
    assertThat(last.retentionTrimmedEveryPartition(2))
        .as("DELETE retention ran on every partition")
        .isTrue();
    assertThat(last.retained().bytes())
        .as("per partition, retention.bytes plus a segment plus what 200 ms bring")
        .isLessThanOrEqualTo(2 * 200_000);
    assertThat(last.storage().relations()).isEqualTo(1);
    assertThat(report.verdict().getFirst().status())
        .as("the storage criterion is judged once retention ran")
        .isNotEqualTo(SoakVerdict.Status.NOT_EVALUATED);
    assertPrinted(printed, report, DeleteRetentionBaseline.TABLE + ", a plain table");
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("DELETE passes (0 failed)");
    assertThat(broker.queryLong("select count(*) from pg_class where relname = '"
            + DeleteRetentionBaseline.TABLE + "'"))
        .as("the baseline's table dropped")
        .isZero();
  }

  @Test
  void samples_end_every_step_and_at_the_end_of_the_run() {
    assertThat(RetentionSoak.sampleEnds(25, 10)).containsExactly(10L, 20L, 25L);
    assertThat(RetentionSoak.sampleEnds(20, 10)).containsExactly(10L, 20L);
  }

  @Test
  void flags_are_checked() {
    assertThatThrownBy(() -> RetentionSoakOptions.parse(new String[] {"--layout", "vacuum"}))
        .hasMessageContaining("--layout is rowstream or delete-baseline");
    assertThatThrownBy(() -> RetentionSoakOptions.parse(
            new String[] {"--url", "http://x", "--db-url", "jdbc:x", "--maintenance-ms", "100"}))
        .hasMessageContaining("ROWSTREAM_LOG_MAINTENANCE_INTERVAL_MS");
    assertThatThrownBy(
            () -> RetentionSoakOptions.parse(new String[] {"--minutes", "1", "--seconds", "5"}))
        .hasMessageContaining("not both");
    assertThatThrownBy(() ->
            RetentionSoakOptions.parse(new String[] {"--seconds", "5", "--sample-seconds", "10"}))
        .hasMessageContaining("at least one sample");
    assertThatThrownBy(() -> RetentionSoakOptions.parse(new String[] {"--rate-mb", "fast"}))
        .hasMessageContaining("--rate-mb must be a number");
    assertThatThrownBy(() -> RetentionSoakOptions.parse(new String[] {"--nope", "1"}))
        .hasMessageContaining("unknown flags");
    assertThat(RetentionSoakOptions.parse(new String[0]).requestsPerSecond())
        .as("20 MB/s of 100 KiB requests")
        .isCloseTo(195.3, org.assertj.core.data.Offset.offset(0.1));
  }

  private static RetentionSoakOptions options(String layout, String... more) {
    var db = broker.database();
    List<String> args = new ArrayList<>(List.of(
        "--layout",
        layout,
        "--url",
        broker.node(0).baseUrl(),
        "--db-url",
        db.url(),
        "--db-user",
        db.user(),
        "--partitions",
        "2",
        "--retention-bytes",
        "100000",
        "--segment-bytes",
        "20000",
        "--rate-mb",
        "0.5",
        "--record-bytes",
        "1000",
        "--records-per-request",
        "20",
        "--clients",
        "2",
        "--seconds",
        "3",
        "--sample-seconds",
        "1"));
    args.addAll(List.of(more));
    return RetentionSoakOptions.parse(args.toArray(String[]::new));
  }

  private static void assertPrinted(
      ByteArrayOutputStream printed, SoakReport report, String storage) {
    String text = printed.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("- chunk storage: " + storage, "| minute |", "## Verdict");
    List<String> sampleRows =
        text.lines().filter(l -> l.matches("\\| [0-9]+ \\| .*")).toList();
    assertThat(sampleRows).as("3 sample rows and 1 minute row").hasSize(4);
    assertThat(report.verdict())
        .extracting(SoakVerdict.Criterion::name)
        .containsExactly(
            "chunk storage ≤ 1.2 × retained bytes",
            "produce latency p99 not growing",
            "dead tuples, chunk storage and its TOAST, not growing",
            "dead tuples, other tables (pg_stat_user_tables), not growing");
  }
}
