package io.rowstream.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * Produce into a topic that already holds {@code --prefill-records} records, beside produce into an
 * empty topic at the same moment: the topic is filled (as fast as the broker takes it), the
 * database settled ({@link BenchDatabase#settle}), a recovery run into a scratch topic is made and
 * not counted (the first run after the fill was slow whichever topic it wrote), then the measured
 * produce workload runs in four halves, in the order empty, prefilled, prefilled, empty (each half
 * its own warm-up, the database settled before each), and the halves of each topic are added up.
 * Measuring both after the fill keeps the database's size and cache the same for the two; the mirrored order cancels what one
 * run leaves to the next (short runs showed the second of two back-to-back runs slower, whichever
 * topic it wrote), so the ratio isolates what a topic's own size costs.
 */
final class PrefilledProduce {
  private PrefilledProduce() {}

  static void run(RestClient rest, BenchDatabase db, String suffix, BenchOptions o, Report report) throws Exception {
    String prefilled = "bench-prefilled-" + suffix;
    rest.createTopic(prefilled, o.partitions());
    report.prefill = ProduceLoad.fill(rest, prefilled, o, o.prefillRecords());
    report.prefillSettle = db.settle();

    String empty = "bench-empty-" + suffix;
    rest.createTopic(empty, o.partitions());
    String emptyName = "rowstream produce, empty topic";
    String prefilledName = "rowstream produce, " + o.prefillRecords() + " records in topic";
    Duration half = o.produceDuration().dividedBy(2);
    // The first run after writing the fill was the slow one whichever topic it wrote (measured:
    // bench/RESULTS.md); a run into a scratch topic, not counted, takes that hit.
    String scratch = "bench-recovery-" + suffix;
    rest.createTopic(scratch, o.partitions());
    Throughput recovery = half(rest, db, scratch, o, "recovery run", half);
    Throughput empty1 = half(rest, db, empty, o, emptyName, half);
    Throughput prefilled1 = half(rest, db, prefilled, o, prefilledName, half);
    Throughput prefilled2 = half(rest, db, prefilled, o, prefilledName, half);
    Throughput empty2 = half(rest, db, empty, o, emptyName, half);
    report.prefillHalves = String.format(Locale.ROOT,
        "%.1f, %.1f, %.1f, %.1f MB/s (after a recovery run into a scratch topic, not counted: %.1f MB/s)",
        empty1.megabytesPerSecond(), prefilled1.megabytesPerSecond(), prefilled2.megabytesPerSecond(),
        empty2.megabytesPerSecond(), recovery.megabytesPerSecond());
    report.prefillEmpty = empty1.plus(empty2);
    report.prefilled = prefilled1.plus(prefilled2);
  }

  private static Throughput half(RestClient rest, BenchDatabase db, String topic, BenchOptions o, String name,
      Duration duration) throws Exception {
    db.settle();
    return ProduceLoad.run(rest, topic, o, name, duration);
  }
}
