package io.rowstream.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;

/** The node's database as the load generator reaches it over JDBC: settings, the baseline, settling. */
final class BenchDatabase {
  private final String url;
  private final Properties props;

  BenchDatabase(String url, String user, String password) {
    this.url = url;
    this.props = new Properties();
    if (user != null) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, props);
  }

  /** Runs the statements in order on one connection (autocommit). */
  void execute(String... statements) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  String setting(String name) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement(); var rs = s.executeQuery("show " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /**
   * Brings the database to the steady state a long-lived topic is in after a bulk load:
   * {@code VACUUM (ANALYZE)} (hint bits and the visibility map set, statistics current, so
   * autovacuum has no reason to wake up during the next measurement) then {@code CHECKPOINT}
   * (the load's dirty pages written). Returns what it did, for the report; a refused step (say,
   * CHECKPOINT without superuser) is reported, not fatal.
   */
  String settle() {
    return run("vacuum (analyze)", "checkpoint");
  }

  private String run(String... steps) {
    long start = System.nanoTime();
    StringBuilder done = new StringBuilder();
    for (String step : steps) {
      String outcome = step.toUpperCase(Locale.ROOT);
      try (Connection c = connect(); Statement s = c.createStatement()) {
        s.execute(step);
      } catch (SQLException e) {
        outcome += " refused (" + e.getMessage() + ")";
      }
      done.append(done.isEmpty() ? "" : " + ").append(outcome);
    }
    return String.format(Locale.ROOT, "%s in %.1f s", done, (System.nanoTime() - start) / 1e9);
  }
}
