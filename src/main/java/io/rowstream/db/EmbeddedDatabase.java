package io.rowstream.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server started and owned by this process, its data kept in a directory that
 * survives restarts. The quick-start default when no database URL is configured.
 *
 * <p>Every connection must give the password of the {@code postgres} role, which the node generates
 * at first start into an owner-only file ({@link EmbeddedPassword}): {@code pg_hba.conf} asks for
 * it (scram-sha-256) on the socket and on loopback, so another local account cannot read the
 * broker's rows. A data directory made before that (it trusted every local connection) gets the
 * password and the new {@code pg_hba.conf} at its next start.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
  private static final String USER = "postgres";
  static final String HBA_MARK = "# rowstream: password required";
  private static final String HBA = HBA_MARK + """
       (scram-sha-256) on every connection; the password is in the node's data dir.
      local all all scram-sha-256
      host  all all 127.0.0.1/32 scram-sha-256
      host  all all ::1/128 scram-sha-256
      """;

  private final EmbeddedPostgres postgres;
  private final String password;

  private EmbeddedDatabase(EmbeddedPostgres postgres, String password) {
    this.postgres = postgres;
    this.password = password;
  }

  /**
   * Starts PostgreSQL with its data in {@code dataDirectory}, on {@code preferredPort} when that is
   * free (so psql finds it at a known place), else on any free port; 0 means any free port. The
   * password is read from {@code passwordFile}, or generated there at first start.
   */
  public static EmbeddedDatabase start(Path dataDirectory, Path passwordFile, int preferredPort) {
    try {
      Files.createDirectories(dataDirectory);
      boolean fresh = !Files.exists(dataDirectory.resolve("postgresql.conf"));
      Path hba = dataDirectory.resolve("pg_hba.conf");
      if (!fresh && requiresPassword(hba) && !Files.exists(passwordFile)) {
        throw new IllegalStateException(
            "the embedded PostgreSQL in " + dataDirectory + " requires the password that "
                + passwordFile + " held, and that file is missing: restore it (owner-only, 0600)");
      }
      String password = EmbeddedPassword.readOrCreate(passwordFile);
      int port = preferredPort > 0 && isFree(preferredPort) ? preferredPort : 0;
      if (port == 0 && preferredPort > 0) {
        LOG.warn("port {} is taken; embedded PostgreSQL picks a free one", preferredPort);
      }
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
      if (port > 0) {
        builder.setPort(port);
      }
      if (fresh) {
        // initdb sets the role's password from the file; pg_hba.conf asks for it from the first
        // start.
        builder.setLocaleConfig("pwfile", passwordFile.toAbsolutePath().toString());
        builder.setDataDirectoryCustomizer(dir -> writeHba(hba));
      }
      EmbeddedPostgres postgres = builder
          .setDataDirectory(dataDirectory)
          // The node stops PostgreSQL itself, last, after it has resigned and closed its pool.
          .setRegisterShutdownHook(false)
          .setCleanDataDirectory(false)
          // zonky checks readiness with a connection of its own, which needs the password too.
          .setConnectConfig("password", password)
          // zonky's defaults favour test speed (fsync off): a broker must not lose acknowledged
          // records in a crash, so durability settings are set explicitly.
          .setServerConfig("fsync", "on")
          .setServerConfig("full_page_writes", "on")
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("max_connections", "200")
          .setServerConfig("password_encryption", "scram-sha-256")
          .start();
      EmbeddedDatabase database = new EmbeddedDatabase(postgres, password);
      if (!requiresPassword(hba)) {
        database.requirePassword(hba);
      }
      LOG.info(
          "embedded PostgreSQL started dataDirectory={} port={} passwordFile={}",
          dataDirectory,
          postgres.getPort(),
          passwordFile);
      return database;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start embedded PostgreSQL in " + dataDirectory, e);
    }
  }

  /** A data directory from before passwords: set the role's password, then stop trusting connections. */
  private void requirePassword(Path hba) {
    try (Connection c = DriverManager.getConnection(jdbcUrl(), USER, password);
        Statement s = c.createStatement()) {
      s.execute("set password_encryption = 'scram-sha-256'");
      s.execute("alter role " + USER + " password '" + password.replace("'", "''") + "'");
      writeHba(hba);
      s.execute("select pg_reload_conf()");
      LOG.info("embedded PostgreSQL now requires a password dataDirectory={}", hba.getParent());
    } catch (SQLException e) {
      close();
      throw new IllegalStateException(
          "could not set the embedded PostgreSQL's password: " + e.getMessage(), e);
    }
  }

  private static boolean requiresPassword(Path hba) {
    try {
      return Files.exists(hba) && Files.readString(hba).startsWith(HBA_MARK);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + hba, e);
    }
  }

  private static void writeHba(Path hba) {
    try {
      Files.writeString(hba, HBA);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + hba, e);
    }
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
  }

  public String user() {
    return USER;
  }

  public String password() {
    return password;
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
