package io.rowstream.bench;

import io.rowstream.RowstreamNode;
import io.rowstream.config.NodeConfig;
import io.rowstream.db.EmbeddedDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A Rowstream node and its embedded PostgreSQL (fsync and synchronous_commit on) started in this
 * JVM, in a temporary directory that {@link #close} deletes after stopping both.
 */
final class LocalNode implements AutoCloseable {
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private String url;
  private BenchDatabase database;

  private LocalNode() {}

  /** Starts PostgreSQL, then a node (id 1) on it, its configuration adjusted by {@code customize}. */
  static LocalNode start(UnaryOperator<NodeConfig> customize) throws Exception {
    LocalNode local = new LocalNode();
    try {
      Path dir = Files.createTempDirectory("rowstream-bench");
      local.started.push(() -> deleteRecursively(dir));
      EmbeddedDatabase embedded = EmbeddedDatabase.start(dir.resolve("postgres"), 0);
      local.started.push(embedded);
      RowstreamNode node = RowstreamNode.start(customize.apply(
          NodeConfig.forDatabase(embedded.jdbcUrl(), embedded.user(), null, dir).withNodeId(1)));
      local.started.push(node);
      local.url = node.baseUrl();
      local.database = new BenchDatabase(embedded.jdbcUrl(), embedded.user(), null);
      return local;
    } catch (Exception e) {
      local.close();
      throw e;
    }
  }

  String url() {
    return url;
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
