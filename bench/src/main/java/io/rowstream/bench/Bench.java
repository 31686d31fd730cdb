package io.rowstream.bench;

import java.io.PrintStream;

/**
 * Rowstream's load generator: produce throughput, the raw PostgreSQL baseline of the same bytes,
 * catch-up fetch, and end-to-end latency, measured in one run and printed as a Markdown report;
 * optionally the same produce workload against Apache Kafka, and produce into a prefilled topic.
 *
 * <p>{@code java -cp target/rowstream.jar io.rowstream.bench.Bench [flags]} (see bench/README.md).
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) throws Exception {
    BenchOptions options = Cli.parseOrExit(args, BenchOptions::parse);
    // kafka-clients logs every producer's whole configuration at INFO.
    if (System.getProperty("org.slf4j.simpleLogger.log.org.apache.kafka") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
    }
    run(options, System.out);
  }

  /** Runs every workload and prints the report to {@code out}; returns the measured figures. */
  public static Report run(BenchOptions o, PrintStream out) throws Exception {
    try (BenchTarget target = BenchTarget.open(o.url(), o.dbUrl(), o.dbUser(), o.dbPassword(),
            () -> o.nodeInProcess() ? LocalNode.start(c -> c) : LocalNode.startProcess());
        RestClient rest = new RestClient(target.url())) {
      BenchDatabase db = target.database();
      PostgresCopyBaseline baseline = new PostgresCopyBaseline(db);
      Report report = new Report(o, db.setting("server_version"), db.setting("synchronous_commit"),
          db.setting("fsync"));
      String suffix = Long.toString(System.currentTimeMillis(), 36);

      String produceTopic = "bench-produce-" + suffix;
      rest.createTopic(produceTopic, o.partitions());
      report.rowstreamProduce = ProduceLoad.run(rest, produceTopic, o);
      report.postgresCopyIn = baseline.write(o);
      if (o.kafkaBootstrap().isPresent()) {
        report.kafkaProduce = KafkaProduceLoad.run(o.kafkaBootstrap().get(), produceTopic, o);
      }
      report.rowstreamFetch = CatchUpFetch.run(rest, produceTopic, o.partitions(), o.recordBytes(), o.format());
      report.postgresCopyOut = baseline.read(o.recordBytes());
      baseline.drop();

      // The throughput runs leave gigabytes for autovacuum (the chunks' TOAST table, insert-triggered),
      // which would otherwise run, throttled, through the latency run: measure it on a settled database.
      report.latencySettle = db.settle();
      String latencyTopic = "bench-latency-" + suffix;
      rest.createTopic(latencyTopic, 1);
      EndToEndLatency.Result latency = EndToEndLatency.run(rest, latencyTopic, o);
      report.latency = latency.endToEnd();
      report.latencyAck = latency.produceAck();
      report.postgresCommitLatency = PostgresCommitLatency.run(db, o);

      if (o.prefillRecords() > 0) {
        PrefilledProduce.run(rest, db, suffix, o, report);
      }

      report.print(out);
      return report;
    }
  }
}
