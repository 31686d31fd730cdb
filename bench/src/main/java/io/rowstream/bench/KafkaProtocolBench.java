package io.rowstream.bench;

import io.rowstream.bench.KafkaProtocolOptions.Subject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Issue 21's side-by-side run: Kafka's own ProducerPerformance (several processes at once) and a
 * consumer reading everything back, against Apache Kafka and against a Rowstream node's Kafka port,
 * with the same flags in the same run; and the raw PostgreSQL floor, binary COPY of the same
 * records in the same batches ({@link ChunkCopyBaseline}). Prints a Markdown report
 * ({@link KafkaProtocolReport}).
 *
 * <p>The phases run one after the other, each after the database is settled ({@code VACUUM
 * (ANALYZE)} + {@code CHECKPOINT}) and the page cache written back ({@code sync}), so one phase's
 * leftovers (autovacuum of the gigabytes just written, dirty pages Kafka left to the kernel) do not
 * run through the next: Rowstream produce and consume, then COPY, then Kafka produce and consume.
 * The topics are deleted at the end.
 *
 * <p>{@code bench/kafka-protocol.sh [flags]} starts Kafka, runs this and stops Kafka; see
 * bench/README.md and {@link KafkaProtocolOptions#USAGE}.
 */
public final class KafkaProtocolBench {
  private KafkaProtocolBench() {}

  public static void main(String[] args) throws Exception {
    KafkaProtocolOptions options = Cli.parseOrExit(args, KafkaProtocolOptions::parse);
    if (System.getProperty("org.slf4j.simpleLogger.log.org.apache.kafka") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
    }
    run(options, System.out);
  }

  /** The Rowstream node measured, and the database of the COPY baseline. */
  private record Rowstream(String bootstrap, Optional<String> url, BenchDatabase database, String description) {}

  /** Runs the phases of {@code o.systems()} and prints the report to {@code out}; returns it. */
  public static KafkaProtocolReport run(KafkaProtocolOptions o, PrintStream out) throws Exception {
    Path dir = Files.createTempDirectory("rowstream-kafka-bench");
    KafkaProtocolReport report = new KafkaProtocolReport(o, dir);
    KafkaPerfRuns runs = new KafkaPerfRuns(o, dir);
    String topic = "bench-kafka-protocol-" + Long.toString(System.currentTimeMillis(), 36);
    Deque<AutoCloseable> cleanup = new ArrayDeque<>();
    try {
      Rowstream rowstream = null;
      if (o.systems().contains(Subject.ROWSTREAM) || o.systems().contains(Subject.COPY)) {
        rowstream = rowstream(o, cleanup);
        BenchDatabase db = rowstream.database();
        report.setup.add(String.format("PostgreSQL %s, synchronous_commit=%s, fsync=%s", db.setting("server_version"),
            db.setting("synchronous_commit"), db.setting("fsync")));
      }
      if (o.systems().contains(Subject.ROWSTREAM)) {
        report.setup.add("rowstream: " + rowstream.description() + ", Kafka port " + rowstream.bootstrap() + "; "
            + settle(rowstream.database()));
        BenchKafkaTopic created = BenchKafkaTopic.create(rowstream.bootstrap(), topic, o.partitions(), rowstream.url());
        cleanup.push(created);
        report.setup.add("rowstream topic created with " + created.how());
        report.rowstreamProduce = runs.produce("rowstream", rowstream.bootstrap(), topic);
        report.rowstreamConsume = runs.consumeAssigned("rowstream", rowstream.bootstrap(), topic);
        report.rowstreamConsumerPerformance = runs.consumePerformance("rowstream", rowstream.bootstrap(), topic);
      }
      if (o.systems().contains(Subject.COPY)) {
        report.setup.add("postgres binary COPY: " + o.producers() + " connections, one COPY of one batch per "
            + "transaction into " + ChunkCopyBaseline.TABLE + "; " + settle(rowstream.database()));
        ChunkCopyBaseline baseline = new ChunkCopyBaseline(rowstream.database());
        cleanup.push(baseline::drop);
        report.copy = baseline.write(o);
      }
      if (o.systems().contains(Subject.KAFKA)) {
        report.setup.add("kafka: " + o.kafkaBootstrap() + " (its flush settings, no fsync per write); "
            + settle(rowstream == null ? null : rowstream.database()));
        BenchKafkaTopic created = BenchKafkaTopic.create(o.kafkaBootstrap(), topic, o.partitions(), Optional.empty());
        cleanup.push(created);
        report.kafkaProduce = runs.produce("kafka", o.kafkaBootstrap(), topic);
        report.kafkaConsume = runs.consumeAssigned("kafka", o.kafkaBootstrap(), topic);
        report.kafkaConsumerPerformance = runs.consumePerformance("kafka", o.kafkaBootstrap(), topic);
      }
    } finally {
      try {
        while (!cleanup.isEmpty()) {
          cleanup.pop().close();
        }
      } finally {
        // What was measured before a failure is printed too.
        report.print(out);
      }
    }
    return report;
  }

  /** The node given by the flags, or one started here in a JVM of its own (stopped by {@code cleanup}). */
  private static Rowstream rowstream(KafkaProtocolOptions o, Deque<AutoCloseable> cleanup) throws Exception {
    if (o.rowstreamBootstrap().isPresent()) {
      return new Rowstream(o.rowstreamBootstrap().get(), o.url(), new BenchDatabase(o.dbUrl().orElseThrow(),
          o.dbUser().orElse(null), o.dbPassword().orElse(null)), "the node at " + o.rowstreamBootstrap().get());
    }
    LocalNode local = LocalNode.startProcess();
    cleanup.push(local);
    String bootstrap = local.kafkaBootstrap()
        .orElseThrow(() -> new IllegalStateException("the node started without a Kafka listener"));
    return new Rowstream(bootstrap, Optional.of(local.url()), local.database(),
        "a node started in its own JVM (" + LocalNode.NODE_GC_PAUSE_GOAL + ") on an embedded PostgreSQL");
  }

  /**
   * Settles before a phase: the database ({@code VACUUM (ANALYZE)} + {@code CHECKPOINT}, when there is
   * one), then {@code sync}, so dirty pages of the phase before are on disk. Returns what it did.
   */
  private static String settle(BenchDatabase db) throws IOException, InterruptedException {
    String database = db == null ? "" : db.settle() + ", ";
    long start = System.nanoTime();
    int status = new ProcessBuilder("sync").inheritIO().start().waitFor();
    return String.format(java.util.Locale.ROOT, "settled before: %ssync in %.1f s%s", database,
        (System.nanoTime() - start) / 1e9, status == 0 ? "" : " (failed: " + status + ")");
  }
}
