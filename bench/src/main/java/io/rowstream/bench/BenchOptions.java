package io.rowstream.bench;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The load generator's flags. Without {@code --url} it starts a Rowstream node and its embedded
 * PostgreSQL (synchronous_commit=on), so one command measures everything: the node in a JVM of its
 * own ({@code --node process}, the default, as a broker is deployed) or in this one ({@code --node jvm}).
 * {@code --kafka-bootstrap} adds the same produce workload against an Apache Kafka;
 * {@code --prefill-records} (0: off) adds produce into a topic already holding that many records.
 */
public record BenchOptions(
    Optional<String> url,
    Optional<String> dbUrl,
    Optional<String> dbUser,
    Optional<String> dbPassword,
    int recordBytes,
    int recordsPerRequest,
    int clients,
    int partitions,
    String acks,
    String format,
    Duration produceDuration,
    Duration warmup,
    int latencyRate,
    Duration latencyWarmup,
    Duration latencyDuration,
    Optional<String> kafkaBootstrap,
    int prefillRecords,
    int prefillRecordBytes,
    boolean nodeInProcess) {

  static final String USAGE = """
      usage: bench [--url http://host:8082 --db-url jdbc:postgresql://host/db [--db-user U --db-password P]]
                   [--record-bytes 1024] [--records-per-request 1000] [--clients 4] [--partitions 6]
                   [--acks all] [--format binary|json] [--produce-seconds 20] [--warmup-seconds 3]
                   [--latency-rate 1000] [--latency-warmup-seconds 15] [--latency-seconds 15]
                   [--kafka-bootstrap 127.0.0.1:19092]
                   [--prefill-records 0 [--prefill-record-bytes <record-bytes>]] [--node process|jvm]""";

  public static BenchOptions parse(String[] args) {
    Map<String, String> flags = Cli.flags(args, USAGE);
    BenchOptions options = new BenchOptions(
        Optional.ofNullable(flags.remove("url")),
        Optional.ofNullable(flags.remove("db-url")),
        Optional.ofNullable(flags.remove("db-user")),
        Optional.ofNullable(flags.remove("db-password")),
        integer(flags, "record-bytes", 1024),
        integer(flags, "records-per-request", 1000),
        integer(flags, "clients", 4),
        integer(flags, "partitions", 6),
        flags.getOrDefault("acks", "all"),
        flags.getOrDefault("format", "binary"),
        Duration.ofSeconds(integer(flags, "produce-seconds", 20)),
        Duration.ofSeconds(integer(flags, "warmup-seconds", 3)),
        integer(flags, "latency-rate", 1000),
        Duration.ofSeconds(integer(flags, "latency-warmup-seconds", 15)),
        Duration.ofSeconds(integer(flags, "latency-seconds", 15)),
        Optional.ofNullable(flags.remove("kafka-bootstrap")),
        integer(flags, "prefill-records", 0),
        integer(flags, "prefill-record-bytes", integer(flags, "record-bytes", 1024)),
        flags.getOrDefault("node", "process").equals("jvm"));
    if (!flags.getOrDefault("node", "process").matches("process|jvm")) {
      throw new IllegalArgumentException("--node is process or jvm");
    }
    flags.keySet().removeAll(java.util.Set.of("record-bytes", "records-per-request", "clients", "partitions", "acks",
        "format", "produce-seconds", "warmup-seconds", "latency-rate", "latency-warmup-seconds", "latency-seconds", "prefill-records",
        "prefill-record-bytes", "node"));
    if (!flags.isEmpty()) {
      throw new IllegalArgumentException("unknown flags " + flags.keySet() + "\n" + USAGE);
    }
    if (options.url().isPresent() != options.dbUrl().isPresent()) {
      throw new IllegalArgumentException("--url and --db-url go together (the baseline writes to the same database)");
    }
    if (!options.format().equals("binary") && !options.format().equals("json")) {
      throw new IllegalArgumentException("--format is binary or json");
    }
    if (options.prefillRecords() < 0 || options.prefillRecordBytes() < 1) {
      throw new IllegalArgumentException("--prefill-records must be 0 or more, --prefill-record-bytes 1 or more");
    }
    return options;
  }

  private static int integer(Map<String, String> flags, String name, int fallback) {
    return Cli.integer(flags.get(name), name, fallback);
  }
}
