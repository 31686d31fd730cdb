package io.rowstream.bench;

import java.io.PrintStream;
import java.util.Locale;

/** The figures of one run, printed as Markdown with each Rowstream figure beside its baseline. */
public final class Report {
  private final BenchOptions options;
  private final String postgresVersion;
  private final String synchronousCommit;
  private final String fsync;
  Throughput rowstreamProduce;
  Throughput postgresCopyIn;
  Throughput rowstreamFetch;
  Throughput postgresCopyOut;
  Throughput latency;
  /** The produce leg of the latency run: send → acknowledgement. */
  Throughput latencyAck;
  /** The raw PostgreSQL floor under the acknowledgements: one-row commits on the same schedule. */
  Throughput postgresCommitLatency;
  /** What was done to the database before the latency run. */
  String latencySettle;
  /** With {@code --kafka-bootstrap}: the same produce workload through kafka-clients. */
  Throughput kafkaProduce;
  /** With {@code --prefill-records}: the fill, how the database was settled, then empty and prefilled topics. */
  Throughput prefill;
  String prefillSettle;
  String prefillHalves;
  Throughput prefillEmpty;
  Throughput prefilled;

  Report(BenchOptions options, String postgresVersion, String synchronousCommit, String fsync) {
    this.options = options;
    this.postgresVersion = postgresVersion;
    this.synchronousCommit = synchronousCommit;
    this.fsync = fsync;
  }

  public Throughput produce() {
    return rowstreamProduce;
  }

  public Throughput fetch() {
    return rowstreamFetch;
  }

  public Throughput latency() {
    return latency;
  }

  public Throughput postgresCommitLatency() {
    return postgresCommitLatency;
  }

  public Throughput kafkaProduce() {
    return kafkaProduce;
  }

  public Throughput prefilled() {
    return prefilled;
  }

  public Throughput prefillEmpty() {
    return prefillEmpty;
  }

  void print(PrintStream out) {
    out.printf(Locale.ROOT, "# Rowstream load generator%n%n");
    out.printf(Locale.ROOT, "- records: %d B, %d per request, %d clients, %d partitions, acks=%s, format=%s%n",
        options.recordBytes(), options.recordsPerRequest(), options.clients(), options.partitions(), options.acks(),
        options.format());
    out.printf(Locale.ROOT, "- produce %ds after %ds warm-up; latency at %d rec/s for %ds after %ds warm-up%n",
        options.produceDuration().toSeconds(), options.warmup().toSeconds(), options.latencyRate(),
        options.latencyDuration().toSeconds(), options.latencyWarmup().toSeconds());
    out.printf(Locale.ROOT, "- PostgreSQL %s, synchronous_commit=%s, fsync=%s; %d cores, Java %s%n",
        postgresVersion, synchronousCommit, fsync, Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    String node = options.url().isPresent() ? options.url().get()
        : options.nodeInProcess() ? "in the load generator's JVM"
        : "started in its own JVM (" + LocalNode.NODE_GC_PAUSE_GOAL + ")";
    out.printf(Locale.ROOT, "- node: %s; before the latency run: %s%n", node, latencySettle);
    if (kafkaProduce != null) {
      out.printf(Locale.ROOT, "- kafka %s: one producer per client, %s%n", options.kafkaBootstrap().orElseThrow(),
          KafkaProduceLoad.settings(options));
    }
    if (prefill != null) {
      out.printf(Locale.ROOT, "- prefill: %d records of %d B from %d clients, then %s; then produce into an empty "
          + "topic and the prefilled one in the order empty, prefilled, prefilled, empty, %.1fs each after %ds "
          + "warm-up, the database settled before each: %s%n", options.prefillRecords(), options.prefillRecordBytes(),
          ProduceLoad.FILL_CLIENTS, prefillSettle, options.produceDuration().toMillis() / 2000.0,
          options.warmup().toSeconds(), prefillHalves);
    }
    out.printf(Locale.ROOT, "%n| workload | records/s | MB/s | p50 ms | p99 ms | p999 ms | vs baseline |%n");
    out.printf(Locale.ROOT, "|---|---:|---:|---:|---:|---:|---:|%n");
    row(out, rowstreamProduce, kafkaProduce == null ? ratio(rowstreamProduce, postgresCopyIn)
        : ratio(rowstreamProduce, postgresCopyIn) + " of COPY, " + ratio(rowstreamProduce, kafkaProduce) + " of Kafka");
    row(out, postgresCopyIn, "baseline");
    if (kafkaProduce != null) {
      row(out, kafkaProduce, "baseline");
    }
    row(out, rowstreamFetch, ratio(rowstreamFetch, postgresCopyOut));
    row(out, postgresCopyOut, "baseline");
    row(out, latency, "");
    row(out, latencyAck, "");
    row(out, postgresCommitLatency, "baseline");
    if (prefill != null) {
      row(out, prefill, "");
      row(out, prefillEmpty, "baseline");
      row(out, prefilled, ratio(prefilled, prefillEmpty));
    }
  }

  private static String ratio(Throughput rowstream, Throughput baseline) {
    return String.format(Locale.ROOT, "%.0f %%", 100 * rowstream.megabytesPerSecond() / baseline.megabytesPerSecond());
  }

  private static void row(PrintStream out, Throughput t, String versus) {
    out.printf(Locale.ROOT, "| %s | %.0f | %.1f | %s | %s | %s | %s |%n", t.name(), t.recordsPerSecond(),
        t.megabytesPerSecond(), millis(t.percentileMillis(50)), millis(t.percentileMillis(99)),
        millis(t.percentileMillis(99.9)), versus);
  }

  /** A latency in ms, or a dash for a workload timed as a whole (no per-request latencies). */
  private static String millis(double value) {
    return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.2f", value);
  }
}
