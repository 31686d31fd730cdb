package io.rowstream.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The embedded PostgreSQL asks every connection for a password that the node generates at first
 * start and keeps in an owner-only file; a local account without it is refused. A data directory
 * made before passwords (trusting every local connection) is switched over at its next start.
 */
class EmbeddedDatabasePasswordTest {

  @Test
  void a_connection_without_the_password_is_refused_and_one_with_it_is_served() throws Exception {
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "embedded");
    try (EmbeddedDatabase db =
        EmbeddedDatabase.start(dir.resolve("postgres"), dir.resolve("postgres.password"), 0)) {
      assertRefusedWithoutPassword(db.jdbcUrl());
      assertServed(db);
    }
    assertThat(PosixFilePermissions.toString(
            Files.getPosixFilePermissions(dir.resolve("postgres.password"))))
        .isEqualTo("rw-------");
    String password = Files.readString(dir.resolve("postgres.password")).strip();
    assertThat(password).hasSizeGreaterThanOrEqualTo(32);

    try (EmbeddedDatabase again =
        EmbeddedDatabase.start(dir.resolve("postgres"), dir.resolve("postgres.password"), 0)) {
      assertThat(again.password()).isEqualTo(password);
      assertRefusedWithoutPassword(again.jdbcUrl());
      assertServed(again);
    }
  }

  @Test
  void a_data_directory_made_before_passwords_is_protected_at_its_next_start() throws Exception {
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "embedded");
    try (EmbeddedPostgres legacy = EmbeddedPostgres.builder()
            .setDataDirectory(dir.resolve("postgres"))
            .setCleanDataDirectory(false)
            .setRegisterShutdownHook(false)
            .start();
        Connection c = DriverManager.getConnection(legacy.getJdbcUrl("postgres", "postgres"))) {
      assertThat(c.isValid(1)).as("the old data directory trusts everyone").isTrue();
    }

    try (EmbeddedDatabase db =
        EmbeddedDatabase.start(dir.resolve("postgres"), dir.resolve("postgres.password"), 0)) {
      assertRefusedWithoutPassword(db.jdbcUrl());
      assertServed(db);
    }
  }

  private static void assertRefusedWithoutPassword(String url) {
    Properties noPassword = new Properties();
    noPassword.setProperty("user", "postgres");
    assertThatThrownBy(() -> DriverManager.getConnection(url, noPassword).close())
        .isInstanceOf(SQLException.class);
    Properties wrong = new Properties();
    wrong.setProperty("user", "postgres");
    wrong.setProperty("password", "guess");
    assertThatThrownBy(() -> DriverManager.getConnection(url, wrong).close())
        .isInstanceOf(SQLException.class);
  }

  private static void assertServed(EmbeddedDatabase db) throws SQLException, IOException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
      assertThat(c.isValid(1)).isTrue();
    }
  }
}
