package io.rowstream.bench;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Retention without bloat (issue 7): a steady produce stream at {@code --rate-mb} into a topic with
 * a small {@code retention.bytes}, sampled every {@code --sample-seconds}: the chunk storage's total
 * size (every relation of its partition tree, TOAST and indexes included) against the bytes
 * retention keeps, produce latency, dead tuples and autovacuum runs. {@code --layout
 * delete-baseline} writes the same stream into a plain table with {@code DELETE} retention instead,
 * sampled the same way, for comparison. Prints a row per sample, a row per minute and a verdict.
 *
 * <p>{@code java -cp target/rowstream.jar io.rowstream.bench.RetentionSoak [flags]} (see bench/README.md).
 */
public final class RetentionSoak {
  private static final List<String> SETTINGS = List.of("server_version", "fsync", "synchronous_commit", "autovacuum",
      "autovacuum_naptime", "autovacuum_vacuum_threshold", "autovacuum_vacuum_scale_factor");

  private RetentionSoak() {}

  public static void main(String[] args) throws Exception {
    RetentionSoakOptions options = Cli.parseOrExit(args, RetentionSoakOptions::parse);
    run(options, System.out);
  }

  /** Runs the soak, prints the report to {@code out} as it goes, and returns it. */
  public static SoakReport run(RetentionSoakOptions o, PrintStream out) throws Exception {
    try (BenchTarget target = BenchTarget.open(o.url(), o.dbUrl(), o.dbUser(), o.dbPassword(),
            () -> LocalNode.startProcess(Map.of("ROWSTREAM_LOG_MAINTENANCE_INTERVAL_MS",
                Integer.toString(o.maintenanceMs().orElseThrow()))));
        RestClient rest = new RestClient(target.url())) {
      String topic = "retention-soak-" + Long.toString(System.currentTimeMillis(), 36);
      SoakLayout layout = o.layout() == RetentionSoakOptions.Layout.ROWSTREAM
          ? RowstreamSoakLayout.create(rest, topic, o) : DeleteRetentionBaseline.create(target.database(), o);
      try (layout) {
        SoakReport report = new SoakReport(o);
        soak(o, target.database(), layout, report,
            target.local().isPresent() ? "started by the tool in its own JVM" : target.url(), out);
        return report;
      }
    }
  }

  private static void soak(RetentionSoakOptions o, BenchDatabase db, SoakLayout layout, SoakReport report,
      String node, PrintStream out) throws Exception {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String name : SETTINGS) {
      settings.put(name, db.setting(name));
    }
    ChunkStorage storage = new ChunkStorage(layout.chunkRelation());
    try (Connection c = db.connect()) {
      storage.sample(c); // the autovacuum runs before this one
      report.printHeader(out, layout.description(), storage.describe(c), node, settings);
      long start = System.nanoTime();
      long seconds = o.duration().toSeconds();
      try (PacedLoad load = PacedLoad.start(layout, o.clients(), o.requestsPerSecond(), start,
          start + o.duration().toNanos())) {
        long previous = start;
        for (long end : sampleEnds(seconds, o.sample().toSeconds())) {
          long due = start + Duration.ofSeconds(end).toNanos();
          for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
            Thread.sleep(Duration.ofNanos(wait));
          }
          if (end == seconds) {
            load.await(); // the requests due before the end, answered
          }
          PacedLoad.Window window = load.window();
          long now = System.nanoTime();
          report.add(sample(end, (now - previous) / 1e9, window, layout, storage, c), out);
          previous = now;
        }
        report.finish(out, layout.summary(), load.firstError());
      }
    }
  }

  private static SoakSample sample(long end, double seconds, PacedLoad.Window window, SoakLayout layout,
      ChunkStorage storage, Connection c) throws SQLException {
    return new SoakSample(end, seconds, window.requests(), window.errors(), window.latencyMicros(),
        layout.retained(c), storage.sample(c));
  }

  /** Every {@code step} seconds, and the end of the run. */
  static List<Long> sampleEnds(long seconds, long step) {
    List<Long> ends = new ArrayList<>();
    for (long t = step; t < seconds; t += step) {
      ends.add(t);
    }
    ends.add(seconds);
    return ends;
  }
}
