package io.rowstream.support;

import io.rowstream.support.TestPostgres.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Rowstream node in a process of its own ({@code io.rowstream.Main} on this JVM's class path),
 * so that a test can kill it as an operating system would: {@link #kill()} is SIGKILL, no shutdown
 * hook runs, the node's connections are simply cut. Its output goes to {@code target/nodes/}.
 */
public final class NodeProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
  /** Every process started and not yet reaped: killed when the test JVM exits, whatever happened. */
  private static final java.util.Set<Process> RUNNING =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly)));
  }

  private final TestDatabase database;
  private final int nodeId;
  private final Map<String, String> settings;
  private final int port;
  private volatile Process process;
  private volatile boolean ready;

  private NodeProcess(TestDatabase database, int nodeId, Map<String, String> settings) {
    this.database = database;
    this.nodeId = nodeId;
    this.settings = settings;
    this.port = freePort();
  }

  /** Starts node {@code nodeId} with extra {@code ROWSTREAM_*} settings and waits until it is ready. */
  public static NodeProcess start(TestDatabase database, int nodeId, Map<String, String> settings) {
    NodeProcess node = new NodeProcess(database, nodeId, settings);
    node.launch();
    return node;
  }

  /** Starts the process again after a kill, on the same port and node id, and waits until it is ready. */
  public void restart() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("node " + nodeId + " is still running");
    }
    launch();
  }

  private void launch() {
    try {
      Path logs = Files.createDirectories(Path.of("target", "nodes"));
      Path dataDir =
          Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "proc-node");
      String java = ProcessHandle.current().info().command().orElse("java");
      ProcessBuilder builder = new ProcessBuilder(
              java,
              "-Xmx256m",
              "-XX:+UseSerialGC",
              "-XX:TieredStopAtLevel=1",
              "-cp",
              classPath(),
              "io.rowstream.Main")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(
              logs.resolve(database.name() + "-node" + nodeId + ".log").toFile()));
      Map<String, String> env = builder.environment();
      env.put("ROWSTREAM_DB_URL", database.url());
      if (database.user() != null) {
        env.put("ROWSTREAM_DB_USER", database.user());
      }
      if (database.password() != null) {
        env.put("ROWSTREAM_DB_PASSWORD", database.password());
      }
      env.put("ROWSTREAM_NODE_ID", Integer.toString(nodeId));
      env.put("ROWSTREAM_HTTP_PORT", Integer.toString(port));
      env.put("ROWSTREAM_KAFKA_PORT", "0");
      env.put("ROWSTREAM_DATA_DIR", dataDir.toString());
      env.put("ROWSTREAM_DB_POOL_SIZE", "6");
      env.putAll(settings);
      process = builder.start();
      RUNNING.add(process);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      // Generous: a JVM starts in 2-3 s, but this machine is shared and sometimes stalls.
      Await.until("node " + nodeId + " is ready", Duration.ofSeconds(180), () -> {
        if (!process.isAlive()) {
          throw new AssertionError(
              "node " + nodeId + " exited with " + process.exitValue() + ", see target/nodes/");
        }
        return ready();
      });
    } catch (AssertionError e) {
      kill();
      throw e;
    }
    ready = true;
  }

  private boolean ready() {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/status/ready"))
          .timeout(Duration.ofSeconds(1))
          .build();
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGKILL: the process dies at once, as in a crash or an OOM kill. */
  public void kill() {
    ready = false;
    process.destroyForcibly();
    try {
      if (process.waitFor(10, TimeUnit.SECONDS)) {
        RUNNING.remove(process);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Sends a signal by name ({@code STOP} pauses the process, {@code CONT} resumes it). */
  public void signal(String name) {
    try {
      int exit = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
          .inheritIO()
          .start()
          .waitFor();
      if (exit != 0) {
        throw new IllegalStateException("kill -" + name + " exited with " + exit);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Started, answering, and not killed since. */
  public boolean alive() {
    return ready && process.isAlive();
  }

  public int nodeId() {
    return nodeId;
  }

  public String baseUrl() {
    return "http://localhost:" + port;
  }

  public TestHttp http() {
    return new TestHttp(baseUrl());
  }

  /** SIGTERM, then SIGKILL if it has not stopped within a few seconds. */
  @Override
  public void close() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (process.waitFor(10, TimeUnit.SECONDS)) {
        RUNNING.remove(process);
      } else {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    }
  }

  private static String classPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank()
        ? surefire
        : System.getProperty("java.class.path");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
