package io.rowstream.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;
import org.HdrHistogram.Histogram;

/**
 * The retention soak's criteria (issue 7), each judged by a stated rule on one run's samples:
 *
 * <ul>
 *   <li>storage: from the first sample at which retention has trimmed every partition of the topic
 *       (the first retention cycle) on, no sample's chunk storage exceeds {@value #MAX_STORAGE_RATIO}
 *       × the retained bytes;
 *   <li>produce latency: the p99 of the last third of the samples is at most {@value #MAX_P99_GROWTH}
 *       × the p99 of the first third (the first sample left out of both: connections opening, JIT);
 *   <li>dead tuples, in the chunk storage (tables and TOAST) and in the other tables of {@code
 *       pg_stat_user_tables}: "growing" means the highest count in the last third of the samples
 *       exceeds {@value #DEAD_GROWTH} × the highest count in the first third plus {@value #DEAD_SLACK}
 *       tuples. Peaks, not a slope: vacuum makes the count a saw-tooth, whose peaks stay level unless
 *       dead tuples pile up. The samples from the first retention cycle on, or, when retention never
 *       trimmed every partition, all but the first.
 * </ul>
 */
public final class SoakVerdict {
  static final double MAX_STORAGE_RATIO = 1.2;
  static final double MAX_P99_GROWTH = 1.2;
  static final double DEAD_GROWTH = 1.2;
  static final long DEAD_SLACK = 1000;

  /** How a criterion came out. */
  public enum Status {
    HOLDS, FAILS, NOT_EVALUATED
  }

  /** One criterion, its outcome and the figures behind it. */
  public record Criterion(String name, Status status, String detail) {}

  private SoakVerdict() {}

  static List<Criterion> judge(List<SoakSample> samples, int partitions) {
    List<SoakSample> afterFirst = samples.subList(Math.min(1, samples.size()), samples.size());
    List<SoakSample> steady = samples.stream().dropWhile(s -> !s.retentionTrimmedEveryPartition(partitions)).toList();
    List<Criterion> criteria = new ArrayList<>();
    criteria.add(storage(steady, samples));
    criteria.add(latency(afterFirst));
    List<SoakSample> deadSeries = steady.isEmpty() ? afterFirst : steady;
    String over = steady.isEmpty() ? "all samples but the first, as retention never trimmed every partition"
        : "the samples from the first retention cycle on";
    criteria.add(dead("dead tuples, chunk storage and its TOAST, not growing", deadSeries, over,
        SoakSample::deadTuples));
    criteria.add(dead("dead tuples, other tables (pg_stat_user_tables), not growing", deadSeries, over,
        s -> s.storage().deadElsewhere()));
    return criteria;
  }

  private static Criterion storage(List<SoakSample> steady, List<SoakSample> samples) {
    String name = String.format(Locale.ROOT, "chunk storage ≤ %.1f × retained bytes", MAX_STORAGE_RATIO);
    if (steady.isEmpty()) {
      double last = samples.isEmpty() ? Double.NaN : samples.getLast().storageRatio();
      return new Criterion(name, Status.NOT_EVALUATED, String.format(Locale.ROOT, "retention never trimmed every"
          + " partition (no retention in this broker, or the run is too short); last ratio %.2f", last));
    }
    SoakSample worst = steady.stream().filter(s -> !Double.isNaN(s.storageRatio()))
        .max((a, b) -> Double.compare(a.storageRatio(), b.storageRatio())).orElse(steady.getFirst());
    boolean holds = worst.storageRatio() <= MAX_STORAGE_RATIO;
    return new Criterion(name, holds ? Status.HOLDS : Status.FAILS, String.format(Locale.ROOT,
        "highest %.2f at %d s, over %d samples from %d s on (every partition trimmed); last %.2f",
        worst.storageRatio(), worst.endSeconds(), steady.size(), steady.getFirst().endSeconds(),
        steady.getLast().storageRatio()));
  }

  private static Criterion latency(List<SoakSample> series) {
    String name = "produce latency p99 not growing";
    if (series.size() < 2) {
      return new Criterion(name, Status.NOT_EVALUATED, "fewer than 3 samples");
    }
    int third = Math.max(1, series.size() / 3);
    List<SoakSample> first = series.subList(0, third);
    List<SoakSample> last = series.subList(series.size() - third, series.size());
    double before = p99Millis(first);
    double after = p99Millis(last);
    if (Double.isNaN(before) || Double.isNaN(after)) {
      return new Criterion(name, Status.NOT_EVALUATED, "no request answered in the first or the last third");
    }
    boolean holds = after <= MAX_P99_GROWTH * before;
    return new Criterion(name, holds ? Status.HOLDS : Status.FAILS, String.format(Locale.ROOT,
        "p99 %.2f ms in %s → %.2f ms in %s: × %.2f (grows: more than × %.1f)", before, span(first), after,
        span(last), after / before, MAX_P99_GROWTH));
  }

  private static Criterion dead(String name, List<SoakSample> series, String over, ToLongFunction<SoakSample> count) {
    if (series.size() < 2) {
      return new Criterion(name, Status.NOT_EVALUATED, "fewer than 2 samples to compare");
    }
    int third = Math.max(1, series.size() / 3);
    List<SoakSample> first = series.subList(0, third);
    List<SoakSample> last = series.subList(series.size() - third, series.size());
    long before = first.stream().mapToLong(count).max().orElseThrow();
    long after = last.stream().mapToLong(count).max().orElseThrow();
    boolean holds = after <= DEAD_GROWTH * before + DEAD_SLACK;
    return new Criterion(name, holds ? Status.HOLDS : Status.FAILS, String.format(Locale.ROOT,
        "highest %d in %s, %d in %s (growing: above %.1f × the first + %d); %s", before, span(first), after,
        span(last), DEAD_GROWTH, DEAD_SLACK, over));
  }

  private static double p99Millis(List<SoakSample> samples) {
    Histogram merged = SoakSample.latencyOf(samples);
    return merged.getTotalCount() == 0 ? Double.NaN : merged.getValueAtPercentile(99) / 1000.0;
  }

  /** "the samples ending 20–200 s", or "the sample ending 20 s". */
  private static String span(List<SoakSample> samples) {
    return samples.size() == 1 ? "the sample ending " + samples.getFirst().endSeconds() + " s"
        : "the samples ending " + samples.getFirst().endSeconds() + "–" + samples.getLast().endSeconds() + " s";
  }
}
