package io.rowstream.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * The node's connection to PostgreSQL: a pool for short transactions, a jOOQ context over it,
 * and dedicated connections (outside the pool) for LISTEN and session advisory locks.
 */
public final class Database implements AutoCloseable {
  /** Schema that holds every Rowstream table, so it can share a database with other things. */
  public static final String SCHEMA = "rowstream";

  /** Session settings for every broker connection: no transaction may sit idle and stop vacuum. */
  private static final String SESSION_OPTIONS =
      "-c idle_in_transaction_session_timeout=60000 -c lock_timeout=30000";

  private final String url;
  private final Properties connectionProperties;
  private final HikariDataSource pool;
  private final DSLContext dsl;

  private Database(String url, Properties connectionProperties, HikariDataSource pool) {
    this.url = url;
    this.connectionProperties = connectionProperties;
    this.pool = pool;
    this.dsl = DSL.using(pool, SQLDialect.POSTGRES, new Settings().withExecuteLogging(false));
  }

  public static Database connect(
      String url, String user, String password, int poolSize, String poolName) {
    Properties props = new Properties();
    if (user != null) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("options", SESSION_OPTIONS);
    props.setProperty("currentSchema", SCHEMA);
    props.setProperty("ApplicationName", poolName);
    props.setProperty("reWriteBatchedInserts", "true");
    // jOOQ prepares a new statement per query, so pgjdbc never reaches its prepare threshold and
    // would fetch bytea as hex text (twice the bytes, decoded on the CPU): force binary transfer.
    props.setProperty("prepareThreshold", "-1");

    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setDataSourceProperties(props);
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(Math.min(2, poolSize));
    config.setPoolName(poolName);
    config.setConnectionTimeout(10_000);
    config.setAutoCommit(true);
    return new Database(url, props, new HikariDataSource(config));
  }

  public DataSource dataSource() {
    return pool;
  }

  public DSLContext dsl() {
    return dsl;
  }

  /** The pool's counts of active, idle, pending and total connections; null until it started. */
  public HikariPoolMXBean poolCounts() {
    return pool.getHikariPoolMXBean();
  }

  /**
   * Why the database does not answer: empty when a pool connection is valid within {@code
   * timeoutSeconds}, else what failed (for the log).
   */
  public Optional<String> unreachable(int timeoutSeconds) {
    try (Connection c = pool.getConnection()) {
      if (!c.isValid(timeoutSeconds)) {
        throw new SQLException("connection not valid");
      }
      return Optional.empty();
    } catch (SQLException e) {
      return Optional.of(String.valueOf(e.getMessage()));
    }
  }

  /** A connection outside the pool, for LISTEN or session advisory locks; the caller closes it. */
  public Connection openDedicatedConnection(String purpose) throws SQLException {
    Properties props = new Properties();
    props.putAll(connectionProperties);
    props.setProperty(
        "ApplicationName", connectionProperties.getProperty("ApplicationName") + "-" + purpose);
    return DriverManager.getConnection(url, props);
  }

  @Override
  public void close() {
    pool.close();
  }
}
