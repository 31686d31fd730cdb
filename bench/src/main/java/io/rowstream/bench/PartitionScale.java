package io.rowstream.bench;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What partitions cost (issue 25), against a node of its own on an embedded PostgreSQL:
 *
 * <ol>
 *   <li>produce MB/s into a one-partition topic of the empty cluster;
 *   <li>relations ({@code pg_class}) and bytes ({@code pg_database_size}) per empty partition,
 *       over a topic of 6,000;
 *   <li>time to create a topic of 1,000 and of 10,000 partitions, then 50,000 more (five topics of
 *       10,000), each one v3 request;
 *   <li>with those 67,000 partitions: listing a 10,000-partition topic's partitions (v3), Kafka
 *       Metadata for all topics, the background passes (cluster tick with the controller's pass and
 *       replica-state upkeep, group reaper, log maintenance: count, time, longest, from the node's
 *       {@code rowstream_background_*} meters) and the transactions per second the idle node
 *       commits ({@code pg_stat_database.xact_commit});
 *   <li>produce MB/s into a one-partition topic again, now beside the 67,000 partitions.
 * </ol>
 *
 * <p>{@code --node-classpath JAR} runs the node from another build (main's, to measure the layout
 * before); a creation that fails is reported and ends the run there. Produce flags as
 * {@link Bench}'s ({@code --clients}, {@code --records-per-request}, {@code --record-bytes},
 * {@code --produce-seconds}, {@code --warmup-seconds}).
 */
public final class PartitionScale {
  private static final Pattern METER =
      Pattern.compile("^rowstream_background_(passes_total|pass_seconds_total|pass_max_seconds)\\{loop=\"([^\"]+)\"[^}]*} (\\S+)$",
          Pattern.MULTILINE);
  private static final int EMPTY_PARTITIONS = 6_000;
  private static final Duration IDLE = Duration.ofSeconds(30);

  private PartitionScale() {}

  public static void main(String[] args) throws Exception {
    String classPath = System.getProperty("java.class.path");
    List<String> produceArgs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--node-classpath")) {
        classPath = args[++i];
      } else {
        produceArgs.add(args[i]);
      }
    }
    BenchOptions options = Cli.parseOrExit(produceArgs.toArray(String[]::new), BenchOptions::parse);
    run(options, classPath, System.out);
  }

  static void run(BenchOptions o, String classPath, PrintStream out) throws Exception {
    Map<String, String> settings = Map.of("ROWSTREAM_LOG_MAINTENANCE_INTERVAL_MS", "1000",
        "ROWSTREAM_MAX_PARTITIONS", "1000000");
    try (LocalNode node = LocalNode.startProcess(settings, classPath);
        RestClient rest = new RestClient(node.url())) {
      BenchDatabase db = node.database();
      out.printf(Locale.ROOT, "node class path: %s%n", classPath);
      idle(rest, db, out, "an empty cluster");
      rest.createTopic("load-empty", 1);

      long relations = relations(db);
      long bytes = databaseBytes(db);
      Map<String, Integer> empties = new HashMap<>();
      for (int i = 0; i < EMPTY_PARTITIONS / 1_000; i++) {
        empties.put("empty-" + i, 1_000); // topics of 1,000: main's layout fails one of 6,000 (out of shared memory)
      }
      double seconds = timed(() -> {
        for (var t : empties.entrySet()) {
          rest.createTopic(t.getKey(), t.getValue());
        }
      });
      db.execute("checkpoint");
      long relationsAfter = relations(db);
      long bytesAfter = databaseBytes(db);
      out.printf(Locale.ROOT, "%,d empty partitions (six topics): created in %.2f s; relations %,d -> %,d (%.2f per partition);"
              + " database %,d -> %,d bytes (%,.0f bytes per partition)%n",
          EMPTY_PARTITIONS, seconds, relations, relationsAfter, (relationsAfter - relations) / (double) EMPTY_PARTITIONS,
          bytes, bytesAfter, (bytesAfter - bytes) / (double) EMPTY_PARTITIONS);

      if (!create(rest, out, "created 1,000 partitions (one topic)", Map.of("t1k", 1_000))
          || !create(rest, out, "created 10,000 partitions (one topic)", Map.of("t10k", 10_000))) {
        return;
      }
      Map<String, Integer> fifty = new HashMap<>();
      for (int i = 0; i < 5; i++) {
        fifty.put("t50k-" + i, 10_000);
      }
      if (!create(rest, out, "created 50,000 partitions (five topics of 10,000)", fifty)) {
        return;
      }
      long total = scalar(db, "select count(*) from rowstream.topic_partition");
      out.printf(Locale.ROOT, "cluster now: %,d partitions, %,d relations, %,d bytes%n", total, relations(db), databaseBytes(db));

      String clusterId = clusterId(rest);
      out.printf(Locale.ROOT, "v3 list partitions of a 10,000-partition topic: %.0f ms (mean of 5)%n",
          1000 * mean(5, () -> rest.get("/v3/clusters/" + clusterId + "/topics/t10k/partitions", "application/json")));
      try (KafkaConsumer<byte[], byte[]> consumer = consumer(node)) {
        out.printf(Locale.ROOT, "Kafka Metadata, all topics (%,d partitions): %.0f ms (mean of 5)%n", total,
            1000 * mean(5, () -> consumer.listTopics(Duration.ofSeconds(60))));
      }

      idle(rest, db, out, String.format(Locale.ROOT, "%,d partitions", total));

      // Produce beside the partitions and without them, alternately: the machine's load drifts, so
      // one run of each would compare the drift as much as the partitions.
      rest.createTopic("load-full", 1);
      Map<String, Integer> big = new HashMap<>(fifty);
      big.put("t1k", 1_000);
      big.put("t10k", 10_000);
      big.putAll(empties);
      double full = 0;
      double empty = produce(rest, db, out, o, "load-empty", "empty cluster, first");
      for (int round = 1; round <= 2; round++) {
        full += produce(rest, db, out, o, "load-full", String.format(Locale.ROOT, "%,d partitions in the cluster", total));
        for (String name : big.keySet()) {
          rest.deleteTopic(name);
        }
        empty += produce(rest, db, out, o, "load-empty", "empty cluster");
        if (!create(rest, out, "created the 67,000 partitions again", big)) {
          return;
        }
      }
      out.printf(Locale.ROOT, "produce into one partition: %.1f MB/s beside %,d partitions (mean of 2), %.1f MB/s in an"
          + " empty cluster (mean of 3): %+.0f %%%n", full / 2, total, empty / 3, 100 * ((full / 2) / (empty / 3) - 1));
    }
  }

  /**
   * Waits {@link #IDLE}, then reports the transactions the database committed meanwhile (the node's,
   * but for this method's own two and those a scrape of /metrics causes) and each background loop's
   * passes in that time.
   */
  private static void idle(RestClient rest, BenchDatabase db, PrintStream out, String what) throws Exception {
    String commitsSql = "select xact_commit + xact_rollback from pg_stat_database where datname = current_database()";
    Map<String, double[]> before = passes(rest);
    long commits = scalar(db, commitsSql);
    Thread.sleep(IDLE.toMillis());
    long commitsAfter = scalar(db, commitsSql);
    Map<String, double[]> after = passes(rest);
    out.printf(Locale.ROOT, "idle %d s, %s: %.1f transactions/s committed%n",
        IDLE.toSeconds(), what, (commitsAfter - commits - 2) / (double) IDLE.toSeconds());
    after.forEach((loop, a) -> {
      double[] b = before.getOrDefault(loop, new double[3]);
      double passes = a[0] - b[0];
      out.printf(Locale.ROOT, "  loop %-18s %4.0f passes, %7.2f ms per pass; longest since the node started %7.1f ms%n",
          loop, passes, passes == 0 ? 0 : 1000 * (a[1] - b[1]) / passes, 1000 * a[2]);
    });
  }

  /** A produce run into {@code topic} after settling the database; its MB/s. */
  private static double produce(RestClient rest, BenchDatabase db, PrintStream out, BenchOptions o, String topic,
      String what) throws Exception {
    String settled = db.settle();
    Throughput t = ProduceLoad.run(rest, topic, o, "produce into 1 partition, " + what, o.produceDuration());
    out.printf(Locale.ROOT, "%s: %.1f MB/s, %,.0f records/s, p50 %.1f ms, p99 %.1f ms (settled: %s; load average %s)%n",
        t.name(), t.megabytesPerSecond(), t.recordsPerSecond(), t.percentileMillis(50), t.percentileMillis(99), settled,
        loadAverage());
    return t.megabytesPerSecond();
  }

  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  private static double timed(Step step) throws Exception {
    long start = System.nanoTime();
    step.run();
    return (System.nanoTime() - start) / 1e9;
  }

  private static double mean(int times, Step step) throws Exception {
    step.run(); // warm
    double sum = 0;
    for (int i = 0; i < times; i++) {
      sum += timed(step);
    }
    return sum / times;
  }

  /** Creates the topics one request each; false (reported) when one fails. */
  private static boolean create(RestClient rest, PrintStream out, String what, Map<String, Integer> topics)
      throws Exception {
    try {
      double seconds = timed(() -> {
        for (var t : topics.entrySet()) {
          rest.createTopic(t.getKey(), t.getValue());
        }
      });
      out.printf(Locale.ROOT, "%s in %.2f s%n", what, seconds);
      return true;
    } catch (java.io.IOException e) {
      out.printf(Locale.ROOT, "%s: FAILED: %s%n", what, e.getMessage());
      return false;
    }
  }

  /** Per loop: passes, seconds, longest pass (s), from the node's meters. */
  private static Map<String, double[]> passes(RestClient rest) throws Exception {
    String text = new String(rest.get("/metrics", "text/plain"), java.nio.charset.StandardCharsets.UTF_8);
    Map<String, double[]> byLoop = new java.util.TreeMap<>();
    Matcher m = METER.matcher(text);
    while (m.find()) {
      double[] v = byLoop.computeIfAbsent(m.group(2), l -> new double[3]);
      int i = switch (m.group(1)) {
        case "passes_total" -> 0;
        case "pass_seconds_total" -> 1;
        default -> 2;
      };
      v[i] = Double.parseDouble(m.group(3));
    }
    return byLoop;
  }

  private static String clusterId(RestClient rest) throws Exception {
    String text = new String(rest.get("/v3/clusters", "application/json"), java.nio.charset.StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("\"cluster_id\"\\s*:\\s*\"([^\"]+)\"").matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("no cluster id in " + text);
    }
    return m.group(1);
  }

  private static KafkaConsumer<byte[], byte[]> consumer(LocalNode node) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, node.kafkaBootstrap().orElseThrow());
    p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 60_000);
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Relations of the database (tables, indexes, TOAST, catalogs). */
  private static long relations(BenchDatabase db) throws SQLException {
    return scalar(db, "select count(*) from pg_class");
  }

  private static long databaseBytes(BenchDatabase db) throws SQLException {
    return scalar(db, "select pg_database_size(current_database())");
  }

  private static long scalar(BenchDatabase db, String sql) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
