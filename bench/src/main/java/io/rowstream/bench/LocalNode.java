package io.rowstream.bench;

import io.rowstream.RowstreamNode;
import io.rowstream.config.NodeConfig;
import io.rowstream.db.EmbeddedDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A Rowstream node and its embedded PostgreSQL (fsync and synchronous_commit on), in a temporary
 * directory that {@link #close} deletes after stopping both. The node runs either in this JVM
 * ({@link #start}) or, as a deployed broker does, in a JVM of its own ({@link #startProcess}):
 * then the load generator's threads, allocations and garbage collections are not the node's.
 */
final class LocalNode implements AutoCloseable {
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private String url;
  /** The node's Kafka listener as {@code host:port}, or empty when it has none. */
  private Optional<String> kafkaBootstrap = Optional.empty();
  private BenchDatabase database;
  private Path dir;
  private final List<ChildNode> children = new ArrayList<>();
  /** The class path node processes run from: this build's, or another build's jar. */
  private String nodeClassPath = System.getProperty("java.class.path");
  private EmbeddedDatabase embedded;

  private LocalNode() {}

  /** How the node is started once its database runs: returns the node's base URL. */
  private interface NodeStarter {
    String start(LocalNode local, Path dir, EmbeddedDatabase embedded) throws Exception;
  }

  /** Starts PostgreSQL, then a node (id 1) on it in this JVM, its configuration adjusted by {@code customize}. */
  static LocalNode start(UnaryOperator<NodeConfig> customize) throws Exception {
    return start((local, dir, embedded) -> {
      RowstreamNode node = RowstreamNode.start(customize.apply(
          NodeConfig.forDatabase(embedded.jdbcUrl(), embedded.user(), embedded.password(), dir).withNodeId(1)));
      local.started.push(node);
      if (node.kafkaPort() > 0) {
        local.kafkaBootstrap = Optional.of("localhost:" + node.kafkaPort());
      }
      return node.baseUrl();
    });
  }

  /**
   * The node's JVM flag from the README's start command. G1's default goal of 200 ms let the node's
   * young generation grow to 2.1 GB, and one collection of it stopped the node for 57 ms inside a
   * latency run; with 20 ms (Kafka's start scripts use the same), its collections took 2–6 ms.
   */
  static final String NODE_GC_PAUSE_GOAL = "-XX:MaxGCPauseMillis=20";

  /**
   * Starts PostgreSQL here, then a node (id 1) on it as a child process of this JVM, with the same
   * java and class path and {@link #NODE_GC_PAUSE_GOAL}; its output goes to {@code node.log} in the
   * temporary directory.
   */
  static LocalNode startProcess() throws Exception {
    return startProcess(Map.of());
  }

  /**
   * As {@link #startProcess()}, with more {@code ROWSTREAM_*} settings in the node's environment
   * (a setting the node does not know is ignored by it).
   */
  static LocalNode startProcess(Map<String, String> settings) throws Exception {
    return startProcess(settings, System.getProperty("java.class.path"));
  }

  /**
   * As {@link #startProcess(Map)}, the node's classes from {@code classPath} (another build's jar,
   * to measure it beside this one).
   */
  static LocalNode startProcess(Map<String, String> settings, String classPath) throws Exception {
    return start((local, dir, embedded) -> {
      local.nodeClassPath = classPath;
      ChildNode node = local.startChild(1, settings);
      local.kafkaBootstrap = node.kafkaBootstrap();
      return node.url();
    });
  }

  /**
   * A node started as a child process of this JVM: its base URL, its Kafka address when it has a
   * listener, and its process (whose id the CPU accounting of {@link ProcessCpu} reads).
   */
  record ChildNode(int nodeId, String url, Optional<String> kafkaBootstrap, ProcessHandle process) {}

  /**
   * One more node (its own id, data directory and log {@code node-<id>.log}) on this node's
   * PostgreSQL, as a child process like the first one; {@link #close} stops it with the others.
   * Only for a LocalNode started by {@link #startProcess}.
   */
  ChildNode addProcess(int nodeId) throws Exception {
    return startChild(nodeId, Map.of());
  }

  private ChildNode startChild(int nodeId, Map<String, String> settings) throws Exception {
    Path log = dir.resolve(nodeId == 1 ? "node.log" : "node-" + nodeId + ".log");
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        NODE_GC_PAUSE_GOAL, "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
        "-cp", nodeClassPath, "io.rowstream.Main")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(Map.of("ROWSTREAM_DB_URL", embedded.jdbcUrl(), "ROWSTREAM_DB_USER", embedded.user(),
        "ROWSTREAM_DB_PASSWORD", embedded.password(),
        "ROWSTREAM_DATA_DIR", dir.resolve(nodeId == 1 ? "node" : "node-" + nodeId).toString(),
        "ROWSTREAM_HTTP_PORT", "0", "ROWSTREAM_KAFKA_PORT", "0", "ROWSTREAM_NODE_ID", Integer.toString(nodeId)));
    builder.environment().putAll(settings);
    Process process = builder.start();
    started.push(() -> stop(process));
    Matcher m = awaitStart(process, log);
    Optional<String> kafka = m.group(2).equals("off") ? Optional.empty() : Optional.of(m.group(2));
    ChildNode node = new ChildNode(nodeId, "http://localhost:" + m.group(1), kafka, process.toHandle());
    children.add(node);
    return node;
  }

  /** The nodes started as child processes, in the order they started. */
  List<ChildNode> children() {
    return List.copyOf(children);
  }

  /** The embedded PostgreSQL's postmaster, from its {@code postmaster.pid} (first line). */
  ProcessHandle postmaster() throws IOException {
    long pid = Long.parseLong(Files.readAllLines(dir.resolve("postgres").resolve("postmaster.pid")).get(0).trim());
    return ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("PostgreSQL (pid " + pid + ") is not running"));
  }

  private static LocalNode start(NodeStarter starter) throws Exception {
    LocalNode local = new LocalNode();
    try {
      Path dir = Files.createTempDirectory("rowstream-bench");
      local.dir = dir;
      local.started.push(() -> deleteRecursively(dir));
      EmbeddedDatabase embedded = EmbeddedDatabase.start(dir.resolve("postgres"), dir.resolve("postgres.password"), 0);
      local.embedded = embedded;
      local.started.push(embedded);
      local.url = starter.start(local, dir, embedded);
      local.database = new BenchDatabase(embedded.jdbcUrl(), embedded.user(), embedded.password());
      return local;
    } catch (Exception e) {
      local.close();
      throw e;
    }
  }

  /**
   * The child node's start line, once it has started: group 1 is its HTTP port, group 2 its Kafka
   * address ({@code host:port}, or {@code off}).
   */
  private static Matcher awaitStart(Process process, Path log) throws Exception {
    Pattern started = Pattern.compile("rowstream node started .*\\bport=(\\d+)\\b.*\\bkafka=(\\S+)");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      String text = Files.readString(log);
      Matcher m = started.matcher(text);
      if (m.find()) {
        return m;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("the node process exited (" + process.exitValue() + "):\n" + text);
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the node process did not start within 90 s; see " + log);
  }

  /** SIGTERM, so the node stops cleanly; killed if it has not exited after 30 s. */
  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  String url() {
    return url;
  }

  /** Where Kafka clients reach the node ({@code host:port}), or empty when its Kafka listener is off. */
  Optional<String> kafkaBootstrap() {
    return kafkaBootstrap;
  }

  BenchDatabase database() {
    return database;
  }

  /** Stops the node, then PostgreSQL, then deletes the directory. */
  @Override
  public void close() throws Exception {
    while (!started.isEmpty()) {
      started.pop().close();
    }
  }

  /**
   * Deletes the embedded database's directory; registered before PostgreSQL starts, so it runs
   * after PostgreSQL stopped. Without it every run left hundreds of megabytes in the temporary directory.
   */
  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
