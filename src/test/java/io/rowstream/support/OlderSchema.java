package io.rowstream.support;

import io.rowstream.db.Database;
import io.rowstream.support.TestPostgres.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/** A test database as an older Rowstream left it: migrated up to a given version only. */
public final class OlderSchema {
  private OlderSchema() {}

  /** Applies the versioned migrations up to {@code version} (and the repeatable ones) to {@code db}. */
  public static void migrateTo(TestDatabase db, int version) {
    Flyway.configure()
        .dataSource(dataSource(db))
        .schemas(Database.SCHEMA)
        .createSchemas(true)
        .locations("classpath:db/migration")
        .target(String.valueOf(version))
        .placeholderReplacement(false)
        .load()
        .migrate();
  }

  /** A connection to {@code db} with the schema on the search path. */
  public static Connection connect(TestDatabase db) throws SQLException {
    Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
    try (var s = c.createStatement()) {
      s.execute("set search_path = rowstream");
    }
    return c;
  }

  /** The single long value of a query on {@code db}, e.g. {@code count(*)}. */
  public static long queryLong(TestDatabase db, String sql) {
    try (Connection c = connect(db);
        var s = c.createStatement();
        var rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public static PGSimpleDataSource dataSource(TestDatabase db) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(db.url());
    dataSource.setUser(db.user());
    dataSource.setPassword(db.password());
    return dataSource;
  }
}
