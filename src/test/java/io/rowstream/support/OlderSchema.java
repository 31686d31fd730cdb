package io.rowstream.support;

import io.rowstream.db.Database;
import io.rowstream.support.TestPostgres.TestDatabase;
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

  public static PGSimpleDataSource dataSource(TestDatabase db) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(db.url());
    dataSource.setUser(db.user());
    dataSource.setPassword(db.password());
    return dataSource;
  }
}
