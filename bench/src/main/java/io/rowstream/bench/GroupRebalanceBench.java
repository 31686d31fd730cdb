package io.rowstream.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Issue 22's rebalance figures, side by side: a group of {@code --members} consumers (each a
 * {@link GroupMemberProcess}, a JVM of its own) on a topic of {@code --partitions} partitions, per
 * broker and group protocol (classic with one client assignor, KIP-848 with one server assignor).
 * Three phases, each timed until the group has converged (every partition owned by exactly one
 * live member, every live member owning at least one, as the members' own rebalance callbacks
 * report it):
 *
 * <ol>
 *   <li><b>join</b>: the members start together; timed from the moment the last of them polls;
 *   <li><b>add</b>: one more member; timed from its first poll;
 *   <li><b>kill</b>: one member SIGKILLed (no LeaveGroup); timed from the kill, so the figure holds
 *       the session timeout.
 * </ol>
 *
 * <pre>
 * GroupRebalanceBench [--systems kafka,rowstream] [--protocols classic,consumer]
 *     [--kafka-bootstrap 127.0.0.1:19092] [--rowstream-bootstrap HOST:PORT]
 *     [--classic-assignor org.apache.kafka.clients.consumer.RangeAssignor] [--consumer-assignor uniform]
 *     [--members 3] [--partitions 6] [--session-timeout-ms 10000]
 * </pre>
 *
 * Without {@code --rowstream-bootstrap} it starts a node of its own ({@link LocalNode}), whose
 * KIP-848 session timeout ({@code ROWSTREAM_KAFKA_CONSUMER_SESSION_TIMEOUT_MS}) is {@code
 * --session-timeout-ms}, as {@code bench/kafka/server.properties} sets Kafka's.
 * {@code bench/group-rebalance.sh} starts Kafka, runs this and stops Kafka.
 */
public final class GroupRebalanceBench {
  private static final long CONVERGE_TIMEOUT_MS = 120_000;

  private GroupRebalanceBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> flags = Cli.flags(args, "see GroupRebalanceBench's class comment");
    List<String> systems = Arrays.asList(flags.getOrDefault("systems", "kafka,rowstream").split(","));
    List<String> protocols = Arrays.asList(flags.getOrDefault("protocols", "classic,consumer").split(","));
    int members = Cli.integer(flags.get("members"), "members", 3);
    int partitions = Cli.integer(flags.get("partitions"), "partitions", 6);
    String session = flags.getOrDefault("session-timeout-ms", "10000");
    List<String> rows = new ArrayList<>();
    LocalNode local = null;
    try {
      for (String system : systems) {
        String bootstrap;
        if (system.equals("kafka")) {
          bootstrap = flags.getOrDefault("kafka-bootstrap", "127.0.0.1:19092");
        } else if (flags.containsKey("rowstream-bootstrap")) {
          bootstrap = flags.get("rowstream-bootstrap");
        } else {
          // KIP-848 members send no session timeout: the node's is set to the bench's.
          local = LocalNode.startProcess(Map.of("ROWSTREAM_KAFKA_CONSUMER_SESSION_TIMEOUT_MS", session));
          bootstrap = local.kafkaBootstrap().orElseThrow();
        }
        for (String protocol : protocols) {
          String assignor = protocol.equals("classic")
              ? flags.getOrDefault("classic-assignor", "org.apache.kafka.clients.consumer.RangeAssignor")
              : flags.getOrDefault("consumer-assignor", "uniform");
          String topic = "bench-rebalance-" + protocol + "-" + Long.toString(System.currentTimeMillis(), 36);
          try (BenchKafkaTopic created = BenchKafkaTopic.create(bootstrap, topic, partitions, Optional.empty())) {
            Run run = new Run(bootstrap, topic, protocol, assignor, session, partitions);
            try {
              rows.add(run.measure(system, members));
            } finally {
              run.close();
            }
          }
        }
      }
    } finally {
      if (local != null) {
        local.close();
      }
      System.out.println("| broker | protocol | assignor | join of " + members + " (s) | member added (s) "
          + "| member killed (s, session timeout " + session + " ms) |");
      System.out.println("|---|---|---|---|---|---|");
      rows.forEach(System.out::println);
    }
  }

  /** One broker and protocol: the members, started and stopped here. */
  private static final class Run implements AutoCloseable {
    private final String bootstrap;
    private final String topic;
    private final String protocol;
    private final String assignor;
    private final String session;
    private final int partitions;
    private final String group;
    private final List<Member> members = new ArrayList<>();

    Run(String bootstrap, String topic, String protocol, String assignor, String session, int partitions) {
      this.bootstrap = bootstrap;
      this.topic = topic;
      this.protocol = protocol;
      this.assignor = assignor;
      this.session = session;
      this.partitions = partitions;
      this.group = topic + "-group";
    }

    String measure(String system, int count) throws Exception {
      for (int i = 0; i < count; i++) {
        members.add(start());
      }
      long lastPolling = 0;
      for (Member m : members) {
        lastPolling = Math.max(lastPolling, m.awaitPolling());
      }
      double join = seconds(lastPolling, awaitConverged());
      Member added = start();
      members.add(added);
      double add = seconds(added.awaitPolling(), awaitConverged());
      Member victim = members.getFirst();
      long killedAt = System.nanoTime();
      victim.process.destroyForcibly().waitFor();
      double kill = seconds(killedAt, awaitConverged());
      String shortAssignor = assignor.substring(assignor.lastIndexOf('.') + 1);
      return String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %.2f | %.2f |", system, protocol, shortAssignor,
          join, add, kill);
    }

    private Member start() throws IOException {
      ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
          GroupMemberProcess.class.getName(), "--bootstrap", bootstrap, "--topic", topic, "--group", group,
          "--protocol", protocol, "--assignor", assignor, "--session-timeout-ms", session)
          .redirectError(ProcessBuilder.Redirect.DISCARD);
      return new Member(builder.start());
    }

    /** Waits until the live members own every partition exactly once, each at least one; returns when (nanos). */
    private long awaitConverged() throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONVERGE_TIMEOUT_MS);
      while (System.nanoTime() < deadline) {
        if (converged()) {
          return System.nanoTime();
        }
        Thread.sleep(5);
      }
      throw new IllegalStateException("the group did not converge within " + CONVERGE_TIMEOUT_MS + " ms: "
          + members.stream().map(m -> m.owned).toList());
    }

    private boolean converged() {
      Set<Integer> seen = new HashSet<>();
      for (Member m : members) {
        if (!m.process.isAlive()) {
          continue;
        }
        Set<Integer> owned = m.owned;
        if (owned == null || owned.isEmpty()) {
          return false;
        }
        for (Integer p : owned) {
          if (!seen.add(p)) {
            return false;
          }
        }
      }
      return seen.size() == partitions;
    }

    @Override
    public void close() throws InterruptedException {
      for (Member m : members) {
        m.process.destroy();
      }
      for (Member m : members) {
        if (!m.process.waitFor(20, TimeUnit.SECONDS)) {
          m.process.destroyForcibly().waitFor();
        }
      }
    }
  }

  /** A member process and what it last said it owns. */
  private static final class Member {
    final Process process;
    volatile Set<Integer> owned;
    private volatile long pollingAt;

    Member(Process process) {
      this.process = process;
      Thread.ofPlatform().daemon().start(this::read);
    }

    private void read() {
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          if (line.equals("POLLING")) {
            pollingAt = System.nanoTime();
          } else if (line.startsWith("OWNED")) {
            String list = line.substring("OWNED".length()).trim();
            Set<Integer> now = new HashSet<>();
            if (!list.isEmpty()) {
              for (String p : list.split(",")) {
                now.add(Integer.parseInt(p));
              }
            }
            owned = now;
          }
        }
      } catch (IOException e) {
        // The process was killed: it owns nothing any more, and converged() skips it.
      }
    }

    long awaitPolling() throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (pollingAt == 0) {
        if (System.nanoTime() > deadline || !process.isAlive()) {
          throw new IllegalStateException("a member process did not start polling");
        }
        Thread.sleep(5);
      }
      return pollingAt;
    }
  }

  private static double seconds(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1e9;
  }
}
