package io.rowstream.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.util.PSQLException;

/** One statement on a test's own JDBC connection (its transaction, its role, its settings). */
public final class Sql {
  private Sql() {}

  public static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** The single long value of a query, e.g. {@code count(*)}. */
  public static long queryLong(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The single text value of a query (null when SQL says null). */
  public static String queryText(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /**
   * Runs {@code sql} in a transaction of its own on {@code c}, asserts that it fails with
   * {@code sqlState}, and rolls the transaction back (the connection is in autocommit after).
   */
  public static void refusedAndRolledBack(Connection c, String sql, String sqlState)
      throws SQLException {
    c.setAutoCommit(false);
    assertThatThrownBy(() -> execute(c, sql))
        .as(sql)
        .isInstanceOfSatisfying(
            PSQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(sqlState));
    c.rollback();
    c.setAutoCommit(true);
  }
}
