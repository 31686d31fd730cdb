package io.rowstream.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The PostgreSQL server the tests use, found once per JVM in this order: a JDBC URL in
 * {@code ROWSTREAM_TEST_DB_URL} (with {@code ROWSTREAM_TEST_DB_USER}/{@code _PASSWORD}); a
 * Testcontainers PostgreSQL when a Docker engine answers; otherwise an embedded PostgreSQL
 * started in this JVM. Each caller of {@link #newDatabase} gets a database of its own.
 */
public final class TestPostgres {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static volatile TestPostgres instance;

  private final String adminUrl;
  private final String user;
  private final String password;

  private TestPostgres(String adminUrl, String user, String password) {
    this.adminUrl = adminUrl;
    this.user = user;
    this.password = password;
  }

  /** A fresh, empty database on the shared server. */
  public record TestDatabase(String url, String user, String password, String name) {
    /** A connection to it with Rowstream's schema on the search path. */
    public Connection connect() throws SQLException {
      Connection c = DriverManager.getConnection(url, user, password);
      try (Statement s = c.createStatement()) {
        s.execute("set search_path = rowstream");
      }
      return c;
    }

    /** The single long value of a query, e.g. {@code count(*)}. */
    public long queryLong(String sql) {
      try (Connection c = connect();
          Statement s = c.createStatement();
          java.sql.ResultSet rs = s.executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  public static synchronized TestPostgres server() {
    if (instance == null) {
      instance = locate();
    }
    return instance;
  }

  public TestDatabase newDatabase(String purpose) {
    String name = ("rs_" + purpose.replaceAll("[^A-Za-z0-9]", "_") + "_"
            + DATABASES.incrementAndGet() + "_" + ProcessHandle.current().pid())
        .toLowerCase(java.util.Locale.ROOT);
    if (name.length() > 60) {
      name = name.substring(name.length() - 60);
    }
    try (Connection c = DriverManager.getConnection(adminUrl, user, password);
        Statement s = c.createStatement()) {
      s.execute("drop database if exists " + name);
      s.execute("create database " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create test database " + name, e);
    }
    return new TestDatabase(withDatabase(adminUrl, name), user, password, name);
  }

  private static String withDatabase(String url, String database) {
    int query = url.indexOf('?');
    String base = query < 0 ? url : url.substring(0, query);
    String params = query < 0 ? "" : url.substring(query);
    int slash = base.lastIndexOf('/');
    return base.substring(0, slash + 1) + database + params;
  }

  private static TestPostgres locate() {
    String url = System.getenv("ROWSTREAM_TEST_DB_URL");
    if (url != null && !url.isBlank()) {
      return new TestPostgres(
          url,
          System.getenv("ROWSTREAM_TEST_DB_USER"),
          System.getenv("ROWSTREAM_TEST_DB_PASSWORD"));
    }
    if (dockerMayAnswer() && DockerClientFactory.instance().isDockerAvailable()) {
      PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
      return new TestPostgres(
          container.getJdbcUrl(), container.getUsername(), container.getPassword());
    }
    return startEmbedded();
  }

  /** Skips Testcontainers' noisy probe where no Docker endpoint is configured at all. */
  private static boolean dockerMayAnswer() {
    return System.getenv("DOCKER_HOST") != null
        || Files.exists(Path.of("/var/run/docker.sock"))
        || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"));
  }

  private static TestPostgres startEmbedded() {
    try {
      Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
      EmbeddedPostgres postgres = EmbeddedPostgres.builder()
          .setServerConfig("max_connections", "400")
          .setServerConfig("fsync", "off")
          .start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          postgres.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }));
      return new TestPostgres(postgres.getJdbcUrl("postgres", "postgres"), "postgres", null);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start embedded PostgreSQL for tests", e);
    }
  }
}
