package io.rowstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.bench.KafkaProtocolOptions.Subject;
import io.rowstream.support.TestPostgres;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

/**
 * The cheap parts of the side-by-side harness (bench/kafka-protocol.sh): its flags, the parsing of
 * the perf tools' output (lines as Kafka 4.4's tools print them), and the COPY baseline against the
 * test PostgreSQL with a few records. The runs themselves need a Kafka and are manual.
 */
class KafkaProtocolBenchTest {

  @Test
  void the_default_workload_is_the_issues_and_quick_only_shrinks_the_record_counts() {
    KafkaProtocolOptions full = KafkaProtocolOptions.parse(new String[0]);
    assertThat(full.systems())
        .containsExactlyInAnyOrder(Subject.KAFKA, Subject.ROWSTREAM, Subject.COPY);
    assertThat(KafkaPerfRuns.workloadArguments(full))
        .containsExactly(
            "--num-records",
            "1000000",
            "--record-size",
            "1024",
            "--throughput",
            "-1",
            "--warmup-records",
            "100000",
            "--command-property",
            "acks=all",
            "batch.size=1048576",
            "linger.ms=5");
    assertThat(full.producers()).isEqualTo(3);
    assertThat(full.partitions()).isEqualTo(6);

    KafkaProtocolOptions quick =
        KafkaProtocolOptions.parse(new String[] {"--quick", "--systems", "kafka,copy"});
    assertThat(quick.quick()).isTrue();
    assertThat(quick.systems()).isEqualTo(Set.of(Subject.KAFKA, Subject.COPY));
    assertThat(quick.recordsPerProducer()).isEqualTo(KafkaProtocolOptions.QUICK_RECORDS);
    assertThat(quick.warmupRecords()).isEqualTo(KafkaProtocolOptions.QUICK_WARMUP);
    assertThat(quick.batchBytes()).isEqualTo(full.batchBytes());
    assertThat(KafkaPerfRuns.producerArguments(quick, "127.0.0.1:19092", "t", 2))
        .startsWith("--bootstrap-server", "127.0.0.1:19092", "--topic", "t")
        .endsWith("client.id=perf-producer-2");
  }

  @Test
  void bad_flags_are_refused() {
    assertThatThrownBy(
            () -> KafkaProtocolOptions.parse(new String[] {"--systems", "kafka,redpanda"}))
        .hasMessageContaining("--systems lists kafka, rowstream and copy");
    assertThatThrownBy(() ->
            KafkaProtocolOptions.parse(new String[] {"--records", "10", "--warmup-records", "10"}))
        .hasMessageContaining("--warmup-records from 0 to below --records");
    assertThatThrownBy(
            () -> KafkaProtocolOptions.parse(new String[] {"--rowstream-bootstrap", "h:9092"}))
        .hasMessageContaining("go together");
    assertThatThrownBy(() -> KafkaProtocolOptions.parse(new String[] {"--acks", "some"}))
        .hasMessageContaining("--acks");
    assertThatThrownBy(() -> KafkaProtocolOptions.parse(new String[] {"--nope", "1"}))
        .hasMessageContaining("unknown flags");
  }

  @Test
  void a_producer_performance_summary_is_its_steady_state_line_when_it_had_a_warm_up() {
    String output = """
        Warmup first 2000 records. Steady state results will print after the complete test summary.
        20000 records sent, 5080.010160 records/sec (4.96 MB/sec), 429.49 ms avg latency, 1998.00 ms max latency, \
        330 ms 50th, 907 ms 95th, 927 ms 99th, 928 ms 99.9th.
        18000 steady state records sent, 10011.123471 records/sec (9.78 MB/sec), 467.76 ms avg latency, 928.00 ms \
        max latency, 447 ms 50th, 908 ms 95th, 927 ms 99th, 928 ms 99.9th.
        """;
    ProducerPerfSummary steady = ProducerPerfSummary.parse(output);
    assertThat(steady)
        .isEqualTo(
            new ProducerPerfSummary(18000, 10011.123471, 467.76, 928.0, 447, 908, 927, 928, true));
    assertThat(steady.seconds()).isCloseTo(1.798, org.assertj.core.data.Offset.offset(0.001));

    ProducerPerfSummary whole =
        ProducerPerfSummary.parse(output.lines().limit(2).reduce("", (a, l) -> a + l + "\n"));
    assertThat(whole.records()).isEqualTo(20000);
    assertThat(whole.steadyState()).isFalse();

    assertThatThrownBy(() ->
            ProducerPerfSummary.parse("1000 records sent, 1.0 records/sec (0.00 MB/sec), 1.0 ms avg"
                + " latency, 2.0 ms max latency.\n"))
        .as("a progress line is not a summary")
        .hasMessageContaining("no ProducerPerformance summary line");
  }

  @Test
  void a_consumer_performance_line_and_the_assigned_consumers_own_parse_alike() {
    ConsumerPerfSummary group =
        ConsumerPerfSummary.parse("2026-12-05 00:20:29:655, 2026-12-05 00:20:31:926, 58.5938, "
            + "25.8009, 60000, 26420.0793, 1214, 1057, 55.4340, 56764.4276\n");
    assertThat(group).isEqualTo(new ConsumerPerfSummary(60000, 2271, 1214, 1057));

    String line = ConsumerPerfSummary.format(1_000_000L, 1_002_500L, 60000, 60000L * 1024, 0);
    assertThat(ConsumerPerfSummary.parse("WARNING: something first\n" + line + "\n"))
        .isEqualTo(new ConsumerPerfSummary(60000, 2500, 0, 2500));
    assertThat(line.split(", ")[3])
        .as("MB.sec as ConsumerPerformance counts MB (2^20 B)")
        .isEqualTo("23.4375");

    assertThatThrownBy(() -> ConsumerPerfSummary.parse("Exception in thread main\n"))
        .hasMessageContaining("no ConsumerPerformance result line");
  }

  @Test
  void
      the_report_gives_each_ratio_of_the_issue_by_records_per_second_and_says_what_was_not_measured() {
    KafkaProtocolOptions o = KafkaProtocolOptions.parse(new String[] {"--quick"});
    KafkaProtocolReport report = new KafkaProtocolReport(o, java.nio.file.Path.of("/tmp/out"));
    ProducerPerfSummary process = new ProducerPerfSummary(18000, 9000, 5, 9, 4, 7, 8, 9, true);
    report.kafkaProduce = new KafkaPerfRuns.Produced(
        new Throughput("kafka produce", 54000, 54000L * 1024, 2.0, null),
        List.of(process, process, process));
    report.rowstreamProduce = new KafkaPerfRuns.Produced(
        new Throughput("rowstream produce", 54000, 54000L * 1024, 4.0, null),
        List.of(process, process, process));
    report.copy = new Throughput(
        "postgres binary COPY", 54000, 54000L * 1024, 3.0, Throughput.newHistogram());
    report.kafkaConsume = new KafkaPerfRuns.Consumed(
        new Throughput("kafka consume (assign)", 60000, 60000L * 1024, 1.0, null),
        new ConsumerPerfSummary(60000, 1000, 0, 1000),
        60000);
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    report.print(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));

    List<String> rows = printed
        .toString(java.nio.charset.StandardCharsets.UTF_8)
        .lines()
        .filter(l -> l.startsWith("| "))
        .toList();
    assertThat(rows)
        .contains(
            "| kafka produce | 54000 | 27000 | 27.6 | 4 / 8 | per record, worst process; the processes' own rates"
                + " add up to 27000 records/s |",
            "| rowstream produce / postgres COPY | 75 % | ≥ 90 % |",
            "| rowstream consume / kafka consume (assign) | not measured | ≥ 80 % |",
            "| rowstream produce / kafka produce | 50 % | – |",
            "| rowstream 2 | 18000 | 9000 | 4 / 8 / 9 | 9 |");
  }

  @Test
  void
      the_copy_baseline_writes_every_record_in_producer_sized_v2_batches_with_offsets_per_partition()
          throws Exception {
    TestPostgres.TestDatabase database = TestPostgres.server().newDatabase("chunk_copy_baseline");
    BenchDatabase db = new BenchDatabase(database.url(), database.user(), database.password());
    // 100-byte records in batches of at most 1024 bytes: 8 a batch; 25 records per producer is
    // 3 full batches and one of 1; the warm-up (5) is one partial batch.
    KafkaProtocolOptions o = KafkaProtocolOptions.parse(new String[] {
      "--producers",
      "2",
      "--records",
      "30",
      "--warmup-records",
      "5",
      "--record-bytes",
      "100",
      "--batch-bytes",
      "1024",
      "--partitions",
      "3"
    });
    int perBatch = ChunkCopyBaseline.batch(1000, 100, 1024, 1).firstBatch().countOrNull();
    assertThat(perBatch).as("records a 1 KiB producer batch holds").isEqualTo(8);

    ChunkCopyBaseline baseline = new ChunkCopyBaseline(db);
    Throughput measured = baseline.write(o);

    assertThat(measured.records()).isEqualTo(2 * 25);
    assertThat(measured.payloadBytes()).isEqualTo(2 * 25 * 100);
    assertThat(measured.latencyMicros().getTotalCount())
        .as("one timed COPY per measured batch")
        .isEqualTo(2 * 4);
    long stored = 0;
    List<Long> expectedNext = new ArrayList<>(List.of(0L, 0L, 0L));
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rows =
            s.executeQuery("select partition_id, base_offset, record_count, size_bytes, batch from "
                + ChunkCopyBaseline.TABLE + " order by partition_id, base_offset")) {
      while (rows.next()) {
        int partition = rows.getInt(1);
        assertThat(rows.getLong(2))
            .as("offsets follow on in partition %d", partition)
            .isEqualTo(expectedNext.get(partition));
        int count = rows.getInt(3);
        expectedNext.set(partition, expectedNext.get(partition) + count);
        byte[] batch = rows.getBytes(5);
        assertThat(rows.getInt(4)).isEqualTo(batch.length).isLessThanOrEqualTo(1024);
        RecordBatch parsed =
            MemoryRecords.readableRecords(ByteBuffer.wrap(batch)).firstBatch();
        assertThat(parsed.magic()).isEqualTo(RecordBatch.MAGIC_VALUE_V2);
        assertThat(parsed.countOrNull()).isEqualTo(count).isBetween(1, perBatch);
        for (Record r : parsed) {
          assertThat(r.hasKey()).isFalse();
          assertThat(r.valueSize()).isEqualTo(100);
        }
        stored += count;
      }
    }
    assertThat(stored).as("warm-up and measured records of both connections").isEqualTo(2 * 30);

    baseline.drop();
    try (Connection c = db.connect();
        ResultSet t = c.getMetaData().getTables(null, null, ChunkCopyBaseline.TABLE, null)) {
      assertThat(t.next()).as("the table is dropped").isFalse();
    }
  }
}
