package io.rowstream.bench;

/**
 * Produce into a topic that already holds {@code --prefill-records} records, beside produce into an
 * empty topic at the same moment: the topic is filled (as fast as the broker takes it), the
 * database settled ({@link BenchDatabase#settle}), then the measured produce workload runs into a
 * new empty topic and right after into the prefilled one. Measuring both after the fill keeps the
 * database's size, cache and checkpoint state the same for the two, so their ratio isolates what a
 * topic's own size costs; the empty topic goes first, so whatever the first run leaves behind
 * counts against the prefilled one.
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
    report.prefillEmpty = ProduceLoad.run(rest, empty, o, "rowstream produce, empty topic");
    report.prefilled = ProduceLoad.run(rest, prefilled, o,
        "rowstream produce, " + o.prefillRecords() + " records in topic");
  }
}
