package io.rowstream.bench;

import java.text.ParseException;
import java.text.SimpleDateFormat;

/**
 * The result line of ConsumerPerformance ({@code --hide-header}), which {@link AssignedConsumer}
 * prints in the same format: {@code start.time, end.time, data.consumed.in.MB, MB.sec,
 * data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec}.
 * The elapsed time runs from before the consumer subscribes (or assigns) to its last record, so it
 * includes ConsumerPerformance's group join ({@code rebalance.time.ms}); {@code fetch.time.ms} is
 * the elapsed time without it.
 */
record ConsumerPerfSummary(long records, long elapsedMs, long rebalanceMs, long fetchMs) {

  /** ConsumerPerformance's default {@code --date-format}. */
  static final String DATE_FORMAT = "yyyy-MM-dd HH:mm:ss:SSS";

  /** The last result line in {@code output}; refused when there is none. */
  static ConsumerPerfSummary parse(String output) {
    String[] fields = null;
    for (String line : output.lines().toList()) {
      String[] f = line.split(", ");
      if (f.length == 10 && f[0].matches("\\d{4}-\\d{2}-\\d{2} .*")) {
        fields = f;
      }
    }
    if (fields == null) {
      throw new IllegalArgumentException("no ConsumerPerformance result line in:\n" + output);
    }
    try {
      SimpleDateFormat format = new SimpleDateFormat(DATE_FORMAT);
      long elapsed = format.parse(fields[1]).getTime() - format.parse(fields[0]).getTime();
      return new ConsumerPerfSummary(Long.parseLong(fields[4]), elapsed, Long.parseLong(fields[6]),
          Long.parseLong(fields[7]));
    } catch (ParseException | NumberFormatException e) {
      throw new IllegalArgumentException("a ConsumerPerformance result line that does not parse: "
          + String.join(", ", fields), e);
    }
  }

  /** The result line for these figures, in ConsumerPerformance's format (MB as it counts them: 2^20 bytes). */
  static String format(long startMs, long endMs, long records, long bytes, long rebalanceMs) {
    SimpleDateFormat format = new SimpleDateFormat(DATE_FORMAT);
    double seconds = (endMs - startMs) / 1000.0;
    double fetchSeconds = (endMs - startMs - rebalanceMs) / 1000.0;
    double mb = bytes / (1024.0 * 1024.0);
    return String.format(java.util.Locale.ROOT, "%s, %s, %.4f, %.4f, %d, %.4f, %d, %d, %.4f, %.4f",
        format.format(startMs), format.format(endMs), mb, mb / seconds, records, records / seconds, rebalanceMs,
        endMs - startMs - rebalanceMs, mb / fetchSeconds, records / fetchSeconds);
  }
}
