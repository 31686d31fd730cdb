package io.rowstream.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Flags of {@link KafkaProtocolBench}: which systems to measure, where they are, and the one
 * workload all of them get. Without {@code --rowstream-bootstrap} it starts a Rowstream node and its
 * embedded PostgreSQL (fsync and synchronous_commit on), in a JVM of its own; the COPY baseline
 * writes to that PostgreSQL (or to {@code --db-url}, the running node's database).
 * {@code --quick} is a smoke run: few records, the same shape.
 */
public record KafkaProtocolOptions(
    Set<Subject> systems,
    String kafkaBootstrap,
    Optional<String> rowstreamBootstrap,
    Optional<String> url,
    Optional<String> dbUrl,
    Optional<String> dbUser,
    Optional<String> dbPassword,
    String toolsClasspath,
    int producers,
    int recordsPerProducer,
    int warmupRecords,
    int recordBytes,
    int partitions,
    String acks,
    int batchBytes,
    int lingerMs,
    int timeoutSeconds,
    boolean quick) {

  /** What one run can measure. */
  public enum Subject {
    KAFKA,
    ROWSTREAM,
    COPY;

    String flag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static final int QUICK_RECORDS = 20_000;
  static final int QUICK_WARMUP = 2_000;

  static final String USAGE = """
      usage: KafkaProtocolBench [--systems kafka,rowstream,copy] [--kafka-bootstrap 127.0.0.1:19092]
               [--rowstream-bootstrap host:9092 --db-url jdbc:postgresql://host/db [--db-user U --db-password P]
                [--url http://host:8082]]
               [--tools-classpath 'target/kafka/tools/*'] [--producers 3] [--records 1000000]
               [--warmup-records 100000] [--record-bytes 1024] [--partitions 6] [--acks all]
               [--batch-bytes 1048576] [--linger-ms 5] [--timeout-seconds 900] [--quick]
        --records and --warmup-records count per producer process; --quick: --records 20000
        --warmup-records 2000 unless given.""";

  public static KafkaProtocolOptions parse(String[] args) {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    boolean quick = rest.remove("--quick");
    Map<String, String> flags = Cli.flags(rest.toArray(String[]::new), USAGE);
    KafkaProtocolOptions o = new KafkaProtocolOptions(
        systems(flags.remove("systems")),
        flags.getOrDefault("kafka-bootstrap", "127.0.0.1:19092"),
        Optional.ofNullable(flags.remove("rowstream-bootstrap")),
        Optional.ofNullable(flags.remove("url")),
        Optional.ofNullable(flags.remove("db-url")),
        Optional.ofNullable(flags.remove("db-user")),
        Optional.ofNullable(flags.remove("db-password")),
        flags.getOrDefault("tools-classpath", "target/kafka/tools/*"),
        integer(flags, "producers", 3),
        integer(flags, "records", quick ? QUICK_RECORDS : 1_000_000),
        integer(flags, "warmup-records", quick ? QUICK_WARMUP : 100_000),
        integer(flags, "record-bytes", 1024),
        integer(flags, "partitions", 6),
        flags.getOrDefault("acks", "all"),
        integer(flags, "batch-bytes", 1024 * 1024),
        integer(flags, "linger-ms", 5),
        integer(flags, "timeout-seconds", 900),
        quick);
    flags.keySet().removeAll(Set.of("kafka-bootstrap", "tools-classpath", "producers", "records", "warmup-records",
        "record-bytes", "partitions", "acks", "batch-bytes", "linger-ms", "timeout-seconds"));
    if (!flags.isEmpty()) {
      throw new IllegalArgumentException("unknown flags " + flags.keySet() + "\n" + USAGE);
    }
    if (o.rowstreamBootstrap().isPresent() != o.dbUrl().isPresent()) {
      throw new IllegalArgumentException(
          "--rowstream-bootstrap and --db-url go together (the COPY baseline writes to the node's database)");
    }
    if (o.url().isPresent() && o.rowstreamBootstrap().isEmpty()) {
      throw new IllegalArgumentException("--url only names a running node given by --rowstream-bootstrap");
    }
    if (o.producers() < 1 || o.partitions() < 1 || o.recordBytes() < 1 || o.timeoutSeconds() < 1) {
      throw new IllegalArgumentException("--producers, --partitions, --record-bytes and --timeout-seconds must be 1 or more");
    }
    if (o.recordsPerProducer() < 1 || o.warmupRecords() < 0 || o.warmupRecords() >= o.recordsPerProducer()) {
      throw new IllegalArgumentException("--records must be 1 or more and --warmup-records from 0 to below --records");
    }
    if (o.batchBytes() < o.recordBytes() || o.lingerMs() < 0) {
      throw new IllegalArgumentException("--batch-bytes must hold a record and --linger-ms must be 0 or more");
    }
    if (!o.acks().matches("all|-1|0|1")) {
      throw new IllegalArgumentException("--acks is all, -1, 0 or 1");
    }
    return o;
  }

  /** Records every producer process sends, warm-up included: what a consumer reads. */
  long totalRecords() {
    return (long) producers * recordsPerProducer;
  }

  /** Records of each producer process that count, after its warm-up. */
  int measuredRecords() {
    return recordsPerProducer - warmupRecords;
  }

  /** The producer settings both brokers get, as {@code name=value} for ProducerPerformance's --command-property. */
  List<String> producerProperties() {
    return List.of("acks=" + acks, "batch.size=" + batchBytes, "linger.ms=" + lingerMs);
  }

  private static Set<Subject> systems(String value) {
    if (value == null) {
      return EnumSet.allOf(Subject.class);
    }
    Set<Subject> systems = EnumSet.noneOf(Subject.class);
    for (String name : value.split(",")) {
      systems.add(Arrays.stream(Subject.values())
          .filter(s -> s.flag().equals(name.trim()))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("--systems lists kafka, rowstream and copy, got '" + name + "'")));
    }
    return systems;
  }

  private static int integer(Map<String, String> flags, String name, int fallback) {
    return Cli.integer(flags.get(name), name, fallback);
  }
}
