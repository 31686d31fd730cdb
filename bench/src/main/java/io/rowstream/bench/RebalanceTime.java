package io.rowstream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How long a crashed consumer's partitions take to reach the survivors. Each run: a group of three
 * members over a 6-partition topic, each with {@code session.timeout.ms} = {@code
 * --session-timeout-ms}; two keep long-polling, the third stops calling; measured from the moment
 * the answer to its last call arrived until the two survivors own all six partitions, as they
 * see it over HTTP ({@code GET …/assignments}, every 10 ms). Prints each run and min / median /
 * max, with the session timeout and the reaper interval.
 *
 * <p>{@code java -cp target/rowstream.jar io.rowstream.bench.RebalanceTime [flags]} (see bench/README.md).
 */
public final class RebalanceTime {
  static final int PARTITIONS = 6;
  private static final ObjectMapper JSON = new ObjectMapper();

  private RebalanceTime() {}

  public static void main(String[] args) throws Exception {
    RebalanceOptions options = Cli.parseOrExit(args, RebalanceOptions::parse);
    run(options, System.out);
  }

  /** Runs the measurements, prints them to {@code out}, and returns each run's time in ms. */
  public static List<Long> run(RebalanceOptions o, PrintStream out) throws Exception {
    LocalNode local = o.url().isPresent() ? null
        : LocalNode.start(c -> c.withGroupTimings(o.sessionTimeoutMs(), o.reaperIntervalMs().orElseThrow()));
    try {
      String url = local != null ? local.url() : o.url().orElseThrow();
      @SuppressWarnings("resource") // its connections close with the node or the process
      RestClient rest = new RestClient(url);
      String suffix = Long.toString(System.currentTimeMillis(), 36);
      String topic = "rebalance-" + suffix;
      rest.createTopic(topic, PARTITIONS);
      out.printf(Locale.ROOT, "rebalance time: 3 members over %d partitions, one stops calling; from its last call"
          + " until the 2 others own all %d%n", PARTITIONS, PARTITIONS);
      out.printf(Locale.ROOT, "session.timeout.ms %d, group reaper interval %s, %d runs, node %s%n",
          o.sessionTimeoutMs(), o.reaperIntervalMs().map(ms -> ms + " ms").orElse("as the node is configured"
              + " (ROWSTREAM_GROUP_REAPER_INTERVAL_MS)"), o.runs(), local != null ? "started by the tool" : url);
      List<Long> times = new ArrayList<>();
      for (int run = 1; run <= o.runs(); run++) {
        long ms = once(rest, topic, topic + "-" + run, o.sessionTimeoutMs());
        times.add(ms);
        out.printf(Locale.ROOT, "run %d: %d ms (%d ms after the lease ended)%n", run, ms, ms - o.sessionTimeoutMs());
      }
      List<Long> sorted = times.stream().sorted().toList();
      long median = (sorted.get((sorted.size() - 1) / 2) + sorted.get(sorted.size() / 2)) / 2;
      out.printf(Locale.ROOT, "min %d ms, median %d ms, max %d ms; after the lease ended: min %d, median %d, max %d ms%n",
          sorted.getFirst(), median, sorted.getLast(), sorted.getFirst() - o.sessionTimeoutMs(),
          median - o.sessionTimeoutMs(), sorted.getLast() - o.sessionTimeoutMs());
      return times;
    } finally {
      if (local != null) {
        local.close();
      }
    }
  }

  /** One run in a group of its own; ms from the silent member's last call until the survivors own every partition. */
  private static long once(RestClient rest, String topic, String group, int sessionTimeoutMs) throws Exception {
    List<String> members = new ArrayList<>();
    for (String name : List.of("a", "b", "c")) {
      rest.post("/consumers/" + group, RestClient.V2, JSON.writeValueAsString(Map.of("name", name, "format", "binary",
          "session.timeout.ms", sessionTimeoutMs)));
      String member = "/consumers/" + group + "/instances/" + name;
      rest.post(member + "/subscription", RestClient.V2, JSON.writeValueAsString(Map.of("topics", List.of(topic))));
      members.add(member);
    }
    List<String> survivors = members.subList(0, 2);
    AtomicBoolean running = new AtomicBoolean(true);
    long elapsedMs;
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      int pollMs = Math.min(500, sessionTimeoutMs / 4);
      for (String member : survivors) {
        threads.submit(() -> keepPolling(rest, member, pollMs, running));
      }
      try {
        rest.get(members.get(2) + "/assignments", RestClient.V2);
        long lastCall = System.nanoTime();
        while (owned(rest, survivors) < PARTITIONS) {
          Thread.sleep(10);
        }
        elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastCall);
      } finally {
        running.set(false); // also when a call failed: the pollers must end for the executor to close
      }
    }
    for (String member : survivors) {
      rest.delete(member);
    }
    return elapsedMs;
  }

  /** A surviving member's loop: long polls, as a consumer keeps its lease. A refused read is tried again. */
  private static Void keepPolling(RestClient rest, String member, int pollMs, AtomicBoolean running)
      throws InterruptedException {
    while (running.get()) {
      try {
        rest.get(member + "/records?timeout=" + pollMs, RestClient.BINARY);
      } catch (IOException e) {
        Thread.sleep(10);
      }
    }
    return null;
  }

  private static int owned(RestClient rest, List<String> members) throws IOException, InterruptedException {
    int owned = 0;
    for (String member : members) {
      owned += JSON.readTree(rest.get(member + "/assignments", RestClient.V2)).get("partitions").size();
    }
    return owned;
  }
}
