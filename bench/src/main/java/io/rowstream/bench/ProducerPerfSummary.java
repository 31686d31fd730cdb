package io.rowstream.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The summary line of one ProducerPerformance process: its steady-state line when it had
 * {@code --warmup-records} (the records after the warm-up), otherwise the complete test's line.
 * Latencies are per record, send() to acknowledgement, in ms; its MB/sec (MiB) is not kept, the
 * report derives bytes from records.
 */
record ProducerPerfSummary(
    long records, double recordsPerSecond, double avgMs, double maxMs, int p50Ms, int p95Ms, int p99Ms, int p999Ms,
    boolean steadyState) {

  private static final Pattern SUMMARY = Pattern.compile("^(\\d+)( steady state)? records sent, ([\\d.]+) records/sec "
      + "\\([\\d.]+ MB/sec\\), ([\\d.]+) ms avg latency, ([\\d.]+) ms max latency, (\\d+) ms 50th, (\\d+) ms 95th, "
      + "(\\d+) ms 99th, (\\d+) ms 99.9th\\.$", Pattern.MULTILINE);

  /** The steady-state summary in {@code output}, else the complete one; refused when there is neither. */
  static ProducerPerfSummary parse(String output) {
    ProducerPerfSummary chosen = null;
    Matcher m = SUMMARY.matcher(output);
    while (m.find()) {
      ProducerPerfSummary s = new ProducerPerfSummary(Long.parseLong(m.group(1)), Double.parseDouble(m.group(3)),
          Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5)), Integer.parseInt(m.group(6)),
          Integer.parseInt(m.group(7)), Integer.parseInt(m.group(8)), Integer.parseInt(m.group(9)), m.group(2) != null);
      if (chosen == null || s.steadyState()) {
        chosen = s;
      }
    }
    if (chosen == null) {
      throw new IllegalArgumentException("no ProducerPerformance summary line in:\n" + output);
    }
    return chosen;
  }

  /** The time the counted records took: records over their rate. */
  double seconds() {
    return records / recordsPerSecond;
  }
}
