package io.rowstream.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The retention soak's report, in Markdown: a header (what ran, on which database), a row per
 * sample as it is taken, then a row per minute and the verdict ({@link SoakVerdict}).
 */
public final class SoakReport {
  private final RetentionSoakOptions options;
  private final List<SoakSample> samples = new ArrayList<>();
  private List<SoakVerdict.Criterion> verdict = List.of();

  SoakReport(RetentionSoakOptions options) {
    this.options = options;
  }

  public List<SoakSample> samples() {
    return samples;
  }

  public List<SoakVerdict.Criterion> verdict() {
    return verdict;
  }

  void printHeader(PrintStream out, String layout, String storageKind, String node, Map<String, String> settings) {
    RetentionSoakOptions o = options;
    out.printf(Locale.ROOT, "# Rowstream retention soak: layout %s%n%n", o.layout().flag);
    out.printf(Locale.ROOT, "- %s%n", layout);
    out.printf(Locale.ROOT, "- %d partitions, retention.bytes %d (%.1f MiB) and segment.bytes %d (%.1f MiB) per"
        + " partition%n", o.partitions(), o.retentionBytes(), o.retentionBytes() / (double) RetentionSoakOptions.MIB,
        o.segmentBytes(), o.segmentBytes() / (double) RetentionSoakOptions.MIB);
    out.printf(Locale.ROOT, "- %.1f MB/s for %d s: %.1f requests/s of %d records × %d B, paced evenly, %d clients;"
        + " a sample every %d s%n", o.rateMegabytes(), o.duration().toSeconds(), o.requestsPerSecond(),
        o.recordsPerRequest(), o.recordBytes(), o.clients(), o.sample().toSeconds());
    out.printf(Locale.ROOT, "- maintenance interval: %s; node: %s%n", o.maintenanceMs().map(ms -> ms + " ms")
        .orElse("the node's own (ROWSTREAM_LOG_MAINTENANCE_INTERVAL_MS)"), node);
    out.printf(Locale.ROOT, "- chunk storage: %s%n", storageKind);
    StringBuilder line = new StringBuilder();
    settings.forEach((name, value) -> line.append(line.isEmpty() ? "" : ", ").append(name).append('=').append(value));
    out.printf(Locale.ROOT, "- PostgreSQL: %s; %d cores, Java %s%n%n", line, Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    out.printf(Locale.ROOT, "| t s | MB/s | p50 ms | p99 ms | max ms | retained MB | storage MB | storage/retained"
        + " | segments | relations | live rows | dead tuples | dead elsewhere | autovacuums | errors |%n");
    out.printf(Locale.ROOT, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n");
  }

  void add(SoakSample s, PrintStream out) {
    samples.add(s);
    out.printf(Locale.ROOT, "| %d | %.1f | %s | %s | %s | %.1f | %.1f | %.2f | %d | %d | %d | %d | %d | %d | %d |%n",
        s.endSeconds(), s.megabytesPerSecond(options.requestPayloadBytes()), millis(s.latencyMicros(), 50),
        millis(s.latencyMicros(), 99), millis(s.latencyMicros(), 100), s.retained().bytes() / 1e6,
        s.storage().bytes() / 1e6, s.storageRatio(), s.retained().segments(), s.storage().relations(),
        s.storage().liveRows(), s.storage().deadTuples(), s.storage().deadElsewhere(), s.storage().autovacuums(),
        s.errors());
  }

  /** The minute rows, the run's totals and the verdict. */
  void finish(PrintStream out, String layoutSummary, String firstError) {
    verdict = SoakVerdict.judge(samples, options.partitions());
    out.printf(Locale.ROOT, "%n| minute | MB/s | p50 ms | p99 ms | max ms | retained MB | storage MB"
        + " | max storage/retained | max dead tuples | segments |%n");
    out.printf(Locale.ROOT, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n");
    Map<Long, List<SoakSample>> minutes = new TreeMap<>();
    samples.forEach(s -> minutes.computeIfAbsent((s.endSeconds() + 59) / 60, m -> new ArrayList<>()).add(s));
    minutes.forEach((minute, in) -> {
      Histogram latency = SoakSample.latencyOf(in);
      SoakSample last = in.getLast();
      out.printf(Locale.ROOT, "| %d | %.1f | %s | %s | %s | %.1f | %.1f | %.2f | %d | %d |%n", minute,
          megabytesPerSecond(in), millis(latency, 50), millis(latency, 99), millis(latency, 100),
          last.retained().bytes() / 1e6, last.storage().bytes() / 1e6,
          in.stream().mapToDouble(SoakSample::storageRatio).filter(r -> !Double.isNaN(r)).max().orElse(Double.NaN),
          in.stream().mapToLong(SoakSample::deadTuples).max().orElseThrow(), last.retained().segments());
    });
    long errors = samples.stream().mapToLong(SoakSample::errors).sum();
    out.printf(Locale.ROOT, "%n- produced %.1f MB/s of %.1f MB/s asked; %d failed requests%s%n",
        megabytesPerSecond(samples), options.rateMegabytes(), errors, firstError == null ? "" : " (first: "
        + firstError + ")");
    if (!layoutSummary.isEmpty()) {
      out.printf(Locale.ROOT, "- %s%n", layoutSummary);
    }
    out.printf(Locale.ROOT, "%n## Verdict%n%n");
    for (SoakVerdict.Criterion c : verdict) {
      out.printf(Locale.ROOT, "- %s: %s — %s%n", c.name(), c.status().name().toLowerCase(Locale.ROOT)
          .replace('_', ' '), c.detail());
    }
  }

  private double megabytesPerSecond(List<SoakSample> in) {
    long requests = in.stream().mapToLong(SoakSample::requests).sum();
    double seconds = in.stream().mapToDouble(SoakSample::seconds).sum();
    return requests * options.requestPayloadBytes() / seconds / 1_000_000.0;
  }

  /** A percentile in ms (100: the maximum), or a dash when the window had no answered request. */
  private static String millis(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? "–"
        : String.format(Locale.ROOT, "%.2f", h.getValueAtPercentile(percentile) / 1000.0);
  }
}
