package io.rowstream.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the schema: versioned migrations from {@code migrations/}, then the operator views and
 * the one definition of every SQL function from {@code sql/} (repeatable: run after the versioned
 * ones, and again whenever a file changes). Safe when several nodes start at once: Flyway
 * serializes concurrent migrations on PostgreSQL with an advisory lock.
 */
public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  public static Flyway flyway(DataSource dataSource) {
    return Flyway.configure()
        .dataSource(dataSource)
        .schemas(Database.SCHEMA)
        .createSchemas(true)
        .locations("classpath:db/migration", "classpath:db/views")
        .placeholderReplacement(false)
        .load();
  }

  public static void apply(DataSource dataSource) {
    Flyway flyway = flyway(dataSource);
    MigrateResult result = flyway.migrate();
    var current = flyway.info().current();
    LOG.info(
        "schema migrated applied={} version={}",
        result.migrationsExecuted,
        current == null ? "none" : current.getVersion());
  }

  /** True when every migration on the classpath has been applied to the node's database. */
  public static boolean upToDate(Database database) {
    return upToDate(database.dataSource());
  }

  /** True when every migration on the classpath has been applied to the database. */
  public static boolean upToDate(DataSource dataSource) {
    return flyway(dataSource).info().pending().length == 0;
  }
}
