package io.rowstream.bench;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Flags of {@link RetentionSoak}. Without {@code --url} it starts a node in a process of its own
 * and its embedded PostgreSQL, the node's maintenance interval set to {@code --maintenance-ms}
 * ({@code ROWSTREAM_LOG_MAINTENANCE_INTERVAL_MS}); with {@code --url} (and {@code --db-url}) the node's
 * own interval applies to the {@code rowstream} layout. The {@code delete-baseline} layout writes
 * with JDBC into a plain table and runs its own {@code DELETE} every {@code --maintenance-ms}.
 * {@code --retention-bytes} and {@code --segment-bytes} are per partition, as in Kafka.
 */
public record RetentionSoakOptions(
    Optional<String> url,
    Optional<String> dbUrl,
    Optional<String> dbUser,
    Optional<String> dbPassword,
    Layout layout,
    int partitions,
    long retentionBytes,
    long segmentBytes,
    double rateMegabytes,
    Duration duration,
    int recordBytes,
    int recordsPerRequest,
    int clients,
    Duration sample,
    Optional<Integer> maintenanceMs) {

  /** Where the stream goes: through the broker into its chunk storage, or the DELETE baseline. */
  public enum Layout {
    ROWSTREAM("rowstream"),
    DELETE_BASELINE("delete-baseline");

    final String flag;

    Layout(String flag) {
      this.flag = flag;
    }
  }

  static final long MIB = 1024 * 1024;
  static final int DEFAULT_MAINTENANCE_MS = 5_000;
  static final String USAGE = """
      usage: RetentionSoak [--layout rowstream|delete-baseline]
                           [--url http://host:8082 --db-url jdbc:postgresql://host/db [--db-user U --db-password P]]
                           [--partitions 3] [--retention-bytes 67108864] [--segment-bytes 8388608]
                           [--rate-mb 20] [--minutes 10 | --seconds N] [--record-bytes 1024]
                           [--records-per-request 100] [--clients 8] [--sample-seconds 10]
                           [--maintenance-ms 5000 (rowstream layout: only without --url)]""";

  public static RetentionSoakOptions parse(String[] args) {
    Map<String, String> flags = Cli.flags(args, USAGE);
    Optional<String> url = Optional.ofNullable(flags.remove("url"));
    Optional<String> dbUrl = Optional.ofNullable(flags.remove("db-url"));
    Optional<String> dbUser = Optional.ofNullable(flags.remove("db-user"));
    Optional<String> dbPassword = Optional.ofNullable(flags.remove("db-password"));
    String layoutFlag = flags.getOrDefault("layout", Layout.ROWSTREAM.flag);
    flags.remove("layout");
    Layout layout = java.util.Arrays.stream(Layout.values()).filter(l -> l.flag.equals(layoutFlag)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("--layout is rowstream or delete-baseline"));
    int partitions = Cli.integer(flags.remove("partitions"), "partitions", 3);
    long retentionBytes = number(flags.remove("retention-bytes"), "retention-bytes", 64 * MIB);
    long segmentBytes = number(flags.remove("segment-bytes"), "segment-bytes", 8 * MIB);
    double rate = decimal(flags.remove("rate-mb"), "rate-mb", 20);
    String minutes = flags.remove("minutes");
    String seconds = flags.remove("seconds");
    if (minutes != null && seconds != null) {
      throw new IllegalArgumentException("--minutes or --seconds, not both");
    }
    Duration duration = seconds != null ? Duration.ofSeconds(Cli.integer(seconds, "seconds", 0))
        : Duration.ofMinutes(Cli.integer(minutes, "minutes", 10));
    int recordBytes = Cli.integer(flags.remove("record-bytes"), "record-bytes", 1024);
    int perRequest = Cli.integer(flags.remove("records-per-request"), "records-per-request", 100);
    int clients = Cli.integer(flags.remove("clients"), "clients", 8);
    Duration sample = Duration.ofSeconds(Cli.integer(flags.remove("sample-seconds"), "sample-seconds", 10));
    String maintenance = flags.remove("maintenance-ms");
    if (!flags.isEmpty()) {
      throw new IllegalArgumentException("unknown flags " + flags.keySet() + "\n" + USAGE);
    }
    if (url.isPresent() != dbUrl.isPresent()) {
      throw new IllegalArgumentException("--url and --db-url go together (the tool samples the node's database)");
    }
    if (url.isPresent() && layout == Layout.ROWSTREAM && maintenance != null) {
      throw new IllegalArgumentException("--maintenance-ms configures the node the tool starts; with --url the "
          + "node's ROWSTREAM_LOG_MAINTENANCE_INTERVAL_MS applies");
    }
    if (partitions < 1 || recordBytes < 1 || perRequest < 1 || clients < 1 || !(rate > 0)) {
      throw new IllegalArgumentException("--partitions, --record-bytes, --records-per-request, --clients and "
          + "--rate-mb must be positive");
    }
    if (retentionBytes < 1 || segmentBytes < 1024) {
      throw new IllegalArgumentException("--retention-bytes must be positive and --segment-bytes at least 1024");
    }
    if (sample.isNegative() || sample.isZero() || duration.compareTo(sample) < 0) {
      throw new IllegalArgumentException("--sample-seconds must be positive and the run at least one sample long");
    }
    Optional<Integer> maintenanceMs = url.isPresent() && layout == Layout.ROWSTREAM ? Optional.empty()
        : Optional.of(Cli.integer(maintenance, "maintenance-ms", DEFAULT_MAINTENANCE_MS));
    if (maintenanceMs.isPresent() && maintenanceMs.get() < 1) {
      throw new IllegalArgumentException("--maintenance-ms must be positive");
    }
    return new RetentionSoakOptions(url, dbUrl, dbUser, dbPassword, layout, partitions, retentionBytes, segmentBytes,
        rate, duration, recordBytes, perRequest, clients, sample, maintenanceMs);
  }

  /** Payload bytes of one request: what the rate counts, as the load generator's MB/s do everywhere. */
  long requestPayloadBytes() {
    return (long) recordBytes * recordsPerRequest;
  }

  double requestsPerSecond() {
    return rateMegabytes * 1_000_000 / requestPayloadBytes();
  }

  private static long number(String value, String name, long fallback) {
    try {
      return value == null ? fallback : Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be an integer, got '" + value + "'");
    }
  }

  private static double decimal(String value, String name, double fallback) {
    try {
      return value == null ? fallback : Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a number, got '" + value + "'");
    }
  }
}
