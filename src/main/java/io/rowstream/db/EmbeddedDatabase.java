package io.rowstream.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server started and owned by this process, its data kept in a directory that
 * survives restarts. The quick-start default when no database URL is configured.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts PostgreSQL with its data in {@code dataDirectory}, on {@code preferredPort} when that is
   * free (so psql finds it at a known place), else on any free port; 0 means any free port.
   */
  public static EmbeddedDatabase start(Path dataDirectory, int preferredPort) {
    try {
      Files.createDirectories(dataDirectory);
      int port = preferredPort > 0 && isFree(preferredPort) ? preferredPort : 0;
      if (port == 0 && preferredPort > 0) {
        LOG.warn("port {} is taken; embedded PostgreSQL picks a free one", preferredPort);
      }
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
      if (port > 0) {
        builder.setPort(port);
      }
      EmbeddedPostgres postgres = builder
          .setDataDirectory(dataDirectory)
          // The node stops PostgreSQL itself, last, after it has resigned and closed its pool.
          .setRegisterShutdownHook(false)
          .setCleanDataDirectory(false)
          // zonky's defaults favour test speed (fsync off): a broker must not lose acknowledged
          // records in a crash, so durability settings are set explicitly.
          .setServerConfig("fsync", "on")
          .setServerConfig("full_page_writes", "on")
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("max_connections", "200")
          .start();
      LOG.info("embedded PostgreSQL started dataDirectory={} port={} psql=\"psql -h localhost -p {} -U postgres\"",
          dataDirectory, postgres.getPort(), postgres.getPort());
      return new EmbeddedDatabase(postgres);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start embedded PostgreSQL in " + dataDirectory, e);
    }
  }

  private static boolean isFree(int port) {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  public String user() {
    return "postgres";
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("embedded PostgreSQL did not stop cleanly", e);
    }
  }
}
