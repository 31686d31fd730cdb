package io.rowstream.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs of Kafka's perf tools (kafka-tools, on {@code --tools-classpath}) and of {@link AssignedConsumer}
 * against one broker, each in a JVM of its own ({@link ToolProcess}), their output kept in the
 * run's directory.
 */
final class KafkaPerfRuns {
  static final String PRODUCER_PERFORMANCE = "org.apache.kafka.tools.ProducerPerformance";
  static final String CONSUMER_PERFORMANCE = "org.apache.kafka.tools.ConsumerPerformance";

  /** What {@code --producers} ProducerPerformance processes did together, and each on its own. */
  record Produced(Throughput throughput, List<ProducerPerfSummary> processes) {
    /** The highest of the processes' median latencies, ms. */
    int p50Ms() {
      return processes.stream().mapToInt(ProducerPerfSummary::p50Ms).max().orElseThrow();
    }

    /** The highest of the processes' 99th percentiles, ms. */
    int p99Ms() {
      return processes.stream().mapToInt(ProducerPerfSummary::p99Ms).max().orElseThrow();
    }

    /** The processes' own rates added up: more than {@link #throughput} by as much as their steady states did not overlap. */
    double summedRecordsPerSecond() {
      return processes.stream().mapToDouble(ProducerPerfSummary::recordsPerSecond).sum();
    }
  }

  /** What one consumer process read, and how long it took. */
  record Consumed(Throughput throughput, ConsumerPerfSummary summary, long expected) {
    boolean complete() {
      return summary.records() >= expected;
    }
  }

  private final KafkaProtocolOptions o;
  private final Path dir;

  KafkaPerfRuns(KafkaProtocolOptions o, Path dir) {
    this.o = o;
    this.dir = dir;
  }

  /** ProducerPerformance's arguments for producer process {@code index}. */
  static List<String> producerArguments(KafkaProtocolOptions o, String bootstrap, String topic, int index) {
    List<String> args = new ArrayList<>(List.of("--bootstrap-server", bootstrap, "--topic", topic));
    args.addAll(workloadArguments(o));
    args.add("client.id=perf-producer-" + index);
    return args;
  }

  /** The arguments of ProducerPerformance that make the workload, the same for every broker. */
  static List<String> workloadArguments(KafkaProtocolOptions o) {
    List<String> args = new ArrayList<>(List.of("--num-records", Integer.toString(o.recordsPerProducer()),
        "--record-size", Integer.toString(o.recordBytes()), "--throughput", "-1"));
    if (o.warmupRecords() > 0) {
      args.addAll(List.of("--warmup-records", Integer.toString(o.warmupRecords())));
    }
    args.add("--command-property");
    args.addAll(o.producerProperties());
    return args;
  }

  /**
   * {@code --producers} ProducerPerformance processes at once, started together. The figure counts
   * the records each reports for its steady state (after its warm-up) over the time from the first
   * steady state's start to the last one's end: a process's steady state ends when it prints its
   * summary (after closing its producer, which waits for every acknowledgement), just before it
   * exits, and starts its steady-state time before that.
   */
  Produced produce(String label, String bootstrap, String topic) throws Exception {
    List<ToolProcess> running = new ArrayList<>();
    try {
      for (int i = 0; i < o.producers(); i++) {
        running.add(ToolProcess.start(label + " producer " + i, o.toolsClasspath(), PRODUCER_PERFORMANCE,
            producerArguments(o, bootstrap, topic, i), dir.resolve(label + "-producer-" + i + ".log")));
      }
      List<ProducerPerfSummary> processes = new ArrayList<>();
      long firstStart = Long.MAX_VALUE;
      long lastEnd = Long.MIN_VALUE;
      for (ToolProcess p : running) {
        ProducerPerfSummary summary = ProducerPerfSummary.parse(p.await(o.timeoutSeconds()));
        processes.add(summary);
        firstStart = Math.min(firstStart, p.exitNanos() - (long) (summary.seconds() * 1e9));
        lastEnd = Math.max(lastEnd, p.exitNanos());
      }
      long records = processes.stream().mapToLong(ProducerPerfSummary::records).sum();
      double seconds = (lastEnd - firstStart) / 1e9;
      return new Produced(new Throughput(label + " produce", records, records * o.recordBytes(), seconds, null),
          processes);
    } finally {
      for (ToolProcess p : running) {
        p.stop();
      }
    }
  }

  /** {@link AssignedConsumer} reading every record produced, from the beginning of each partition. */
  Consumed consumeAssigned(String label, String bootstrap, String topic) throws Exception {
    return consume(label + " consume (assign)", System.getProperty("java.class.path"), AssignedConsumer.class.getName(),
        List.of("--bootstrap-server", bootstrap, "--topic", topic, "--num-records", Long.toString(o.totalRecords())),
        dir.resolve(label + "-assigned-consumer.log"));
  }

  /** Kafka's ConsumerPerformance (a consumer group of one) reading every record produced. */
  Consumed consumePerformance(String label, String bootstrap, String topic) throws Exception {
    return consume(label + " consume (ConsumerPerformance, group)", o.toolsClasspath(), CONSUMER_PERFORMANCE,
        List.of("--bootstrap-server", bootstrap, "--topic", topic, "--num-records", Long.toString(o.totalRecords()),
            "--hide-header"),
        dir.resolve(label + "-consumer-performance.log"));
  }

  private Consumed consume(String name, String classpath, String mainClass, List<String> args, Path output)
      throws Exception {
    ToolProcess process = ToolProcess.start(name, classpath, mainClass, args, output);
    try {
      ConsumerPerfSummary summary = ConsumerPerfSummary.parse(process.await(o.timeoutSeconds()));
      return new Consumed(new Throughput(name, summary.records(), summary.records() * o.recordBytes(),
          summary.elapsedMs() / 1000.0, null), summary, o.totalRecords());
    } finally {
      process.stop();
    }
  }
}
