package io.rowstream.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one {@link KafkaProtocolBench} run, printed as Markdown: one row per workload
 * (records/s, and MB/s of record values, 10^6 bytes), then the ratios issue 21 names with their
 * targets, then each producer process's own summary.
 */
public final class KafkaProtocolReport {
  private final KafkaProtocolOptions o;
  private final Path toolOutput;
  final List<String> setup = new ArrayList<>();
  KafkaPerfRuns.Produced kafkaProduce;
  KafkaPerfRuns.Consumed kafkaConsume;
  KafkaPerfRuns.Consumed kafkaConsumerPerformance;
  KafkaPerfRuns.Consumed rowstreamConsumerPerformance;
  KafkaPerfRuns.Produced rowstreamProduce;
  KafkaPerfRuns.Consumed rowstreamConsume;
  Throughput copy;

  KafkaProtocolReport(KafkaProtocolOptions o, Path toolOutput) {
    this.o = o;
    this.toolOutput = toolOutput;
  }

  public Throughput kafkaProduce() {
    return kafkaProduce == null ? null : kafkaProduce.throughput();
  }

  public Throughput kafkaConsume() {
    return kafkaConsume == null ? null : kafkaConsume.throughput();
  }

  public Throughput rowstreamProduce() {
    return rowstreamProduce == null ? null : rowstreamProduce.throughput();
  }

  public Throughput rowstreamConsume() {
    return rowstreamConsume == null ? null : rowstreamConsume.throughput();
  }

  public Throughput copy() {
    return copy;
  }

  void print(PrintStream out) {
    out.printf(Locale.ROOT, "# Kafka protocol side by side%s%n%n", o.quick() ? " (--quick: a smoke run, not a measurement)"
        : "");
    out.printf(Locale.ROOT, "- workload: %d producer processes at once, each %d keyless records of %d B (the first %d "
            + "of them its warm-up), into a topic of %d partitions, replication factor 1%n",
        o.producers(), o.recordsPerProducer(), o.recordBytes(), o.warmupRecords(), o.partitions());
    out.printf(Locale.ROOT, "- produce: ProducerPerformance (kafka-tools) %s; the figure is the records of every "
            + "process's steady state (after its warm-up) over the time from the first steady state's start to the "
            + "last one's end%n",
        String.join(" ", KafkaPerfRuns.workloadArguments(o)));
    out.printf(Locale.ROOT, "- consume: all %d records from the beginning of every partition; \"assign\" is "
        + "AssignedConsumer (ConsumerPerformance's settings and loop, assign + seekToBeginning, no group), the same "
        + "on both brokers; ConsumerPerformance itself joins a consumer group (a group of one, classic protocol), "
        + "on both brokers too, and its time includes the join%n", o.totalRecords());
    setup.forEach(line -> out.printf(Locale.ROOT, "- %s%n", line));
    out.printf(Locale.ROOT, "- %d cores, Java %s; each tool's output in %s%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), toolOutput);

    out.printf(Locale.ROOT, "%n| workload | records | records/s | MB/s | latency p50 / p99 ms | note |%n");
    out.printf(Locale.ROOT, "|---|---:|---:|---:|---|---|%n");
    produced(out, kafkaProduce);
    produced(out, rowstreamProduce);
    if (copy != null) {
      row(out, copy, String.format(Locale.ROOT, "%.1f / %.1f", copy.percentileMillis(50), copy.percentileMillis(99)),
          "latency per COPY of one batch");
    }
    consumed(out, kafkaConsume);
    consumed(out, rowstreamConsume);
    consumed(out, kafkaConsumerPerformance);
    consumed(out, rowstreamConsumerPerformance);

    out.printf(Locale.ROOT, "%n| ratio | value | target |%n|---|---:|---:|%n");
    ratio(out, "rowstream produce / postgres COPY", rowstreamProduce(), copy, "≥ 90 %");
    ratio(out, "rowstream consume / kafka consume (assign)", rowstreamConsume(), kafkaConsume(), "≥ 80 %");
    ratio(out, "rowstream produce / kafka produce", rowstreamProduce(), kafkaProduce(), "–");

    out.printf(Locale.ROOT, "%n| producer process | records counted | records/s | p50 / p99 / p999 ms | max ms |%n");
    out.printf(Locale.ROOT, "|---|---:|---:|---|---:|%n");
    processes(out, "kafka", kafkaProduce);
    processes(out, "rowstream", rowstreamProduce);
  }

  private static void produced(PrintStream out, KafkaPerfRuns.Produced p) {
    if (p != null) {
      row(out, p.throughput(), p.p50Ms() + " / " + p.p99Ms(), String.format(Locale.ROOT,
          "per record, worst process; the processes' own rates add up to %.0f records/s", p.summedRecordsPerSecond()));
    }
  }

  private static void consumed(PrintStream out, KafkaPerfRuns.Consumed c) {
    if (c != null) {
      String note = c.summary().rebalanceMs() > 0 ? "of which joining the group " + c.summary().rebalanceMs() + " ms" : "";
      if (!c.complete()) {
        note = "INCOMPLETE: read " + c.summary().records() + " of " + c.expected() + " records " + note;
      }
      row(out, c.throughput(), "–", note);
    }
  }

  private static void row(PrintStream out, Throughput t, String latency, String note) {
    out.printf(Locale.ROOT, "| %s | %d | %.0f | %.1f | %s | %s |%n", t.name(), t.records(), t.recordsPerSecond(),
        t.megabytesPerSecond(), latency, note);
  }

  private static void ratio(PrintStream out, String name, Throughput measured, Throughput baseline, String target) {
    String value = measured == null || baseline == null ? "not measured"
        : String.format(Locale.ROOT, "%.0f %%", 100 * measured.recordsPerSecond() / baseline.recordsPerSecond());
    out.printf(Locale.ROOT, "| %s | %s | %s |%n", name, value, target);
  }

  private static void processes(PrintStream out, String label, KafkaPerfRuns.Produced p) {
    if (p == null) {
      return;
    }
    for (int i = 0; i < p.processes().size(); i++) {
      ProducerPerfSummary s = p.processes().get(i);
      out.printf(Locale.ROOT, "| %s %d%s | %d | %.0f | %d / %d / %d | %.0f |%n", label, i,
          s.steadyState() ? "" : " (no warm-up)", s.records(), s.recordsPerSecond(), s.p50Ms(), s.p99Ms(), s.p999Ms(),
          s.maxMs());
    }
  }
}
