package io.rowstream.support;

import io.rowstream.RowstreamNode;
import io.rowstream.config.NodeConfig;
import io.rowstream.support.TestPostgres.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Rowstream nodes for one test class, on a database of its own, each listening on a free port.
 * Tests talk to them over real HTTP ({@link #http()}) and may look at the rows with {@link #sql}.
 */
public final class TestBroker implements AutoCloseable {
  private final TestDatabase database;
  private final List<RowstreamNode> nodes = new ArrayList<>();
  private final UnaryOperator<NodeConfig> customize;

  private TestBroker(TestDatabase database, UnaryOperator<NodeConfig> customize) {
    this.database = database;
    this.customize = customize;
  }

  /** One node on a fresh database. */
  public static TestBroker start(String purpose) {
    return start(purpose, UnaryOperator.identity());
  }

  /** One node on a fresh database, its configuration adjusted by {@code customize}. */
  public static TestBroker start(String purpose, UnaryOperator<NodeConfig> customize) {
    TestBroker broker = new TestBroker(TestPostgres.server().newDatabase(purpose), customize);
    broker.startNode();
    return broker;
  }

  /** One node on {@code database} as it is (a test that prepared or migrated it itself). */
  public static TestBroker startOn(TestDatabase database, UnaryOperator<NodeConfig> customize) {
    TestBroker broker = new TestBroker(database, customize);
    broker.startNode();
    return broker;
  }

  /** The super user {@link #ADMIN} with password {@link #ADMIN_PASSWORD} of {@link #startWithAuth}. */
  public static final String ADMIN = "admin";

  public static final String ADMIN_PASSWORD = "admin-pw";

  /**
   * One node on a fresh database with authentication on, ACLs applied (a resource no ACL names is
   * closed) and one super user, {@link #ADMIN}; see {@link #admin()}.
   */
  public static TestBroker startWithAuth(String purpose) {
    return startWithAuth(purpose, UnaryOperator.identity());
  }

  /** As {@link #startWithAuth(String)}, the configuration then adjusted by {@code customize}. */
  public static TestBroker startWithAuth(String purpose, UnaryOperator<NodeConfig> customize) {
    return start(purpose, c -> customize.apply(c.withOps(c.ops().withAuth(adminAuth()))));
  }

  /**
   * As {@link #startWithAuth(String)}, with SASL/PLAIN on the Kafka port without TLS (the clients'
   * {@code SASL_PLAINTEXT}), as the Kafka door's authorization tests sign in.
   */
  public static TestBroker startWithKafkaSasl(String purpose) {
    return startWithAuth(purpose, c -> c.withKafka(c.kafka().withSaslPlainWithoutTls(true)));
  }

  /** Authentication on, with the super user {@link #ADMIN} created at start. */
  public static io.rowstream.config.OpsConfig.Auth adminAuth() {
    return new io.rowstream.config.OpsConfig.Auth(
        true,
        java.util.Set.of("User:" + ADMIN),
        java.util.Optional.of(ADMIN),
        java.util.Optional.of(ADMIN_PASSWORD),
        false,
        java.time.Duration.ofSeconds(5));
  }

  /** The first node, signed in as the super user of {@link #startWithAuth}. */
  public TestHttp admin() {
    return http().as(ADMIN, ADMIN_PASSWORD);
  }

  /** Starts one more node on the same database and returns its index. */
  public int startNode() {
    nodes.add(RowstreamNode.start(config(nodes.size() + 1)));
    return nodes.size() - 1;
  }

  public NodeConfig config(int nodeId) {
    try {
      Path dataDir =
          Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "node");
      return customize.apply(
          NodeConfig.forDatabase(database.url(), database.user(), database.password(), dataDir)
              .withNodeId(nodeId));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public RowstreamNode node(int index) {
    return nodes.get(index);
  }

  /** Stops a node cleanly, leaving the others and the database running. */
  public void stopNode(int index) {
    nodes.get(index).close();
  }

  /** Replaces a stopped node by a new one on the same database. */
  public void restartNode(int index) {
    nodes.get(index).close();
    nodes.set(index, RowstreamNode.start(config(index + 1)));
  }

  /** {@code host:port} of the first node's Kafka listener, for a Kafka client's bootstrap.servers. */
  public String kafkaBootstrap() {
    return kafkaBootstrap(0);
  }

  public String kafkaBootstrap(int index) {
    return "localhost:" + nodes.get(index).kafkaPort();
  }

  public TestHttp http() {
    return http(0);
  }

  public TestHttp http(int index) {
    return new TestHttp(nodes.get(index).baseUrl());
  }

  public TestDatabase database() {
    return database;
  }

  /** A plain JDBC connection to the test database (search_path: rowstream). */
  public Connection sql() throws SQLException {
    Connection c =
        DriverManager.getConnection(database.url(), database.user(), database.password());
    try (var s = c.createStatement()) {
      s.execute("set search_path = rowstream");
    }
    return c;
  }

  /** Runs one statement on a connection of its own (autocommit). */
  public void execute(String sql) {
    try (Connection c = sql()) {
      Sql.execute(c, sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The single long value of a query, e.g. {@code count(*)}. */
  public long queryLong(String sql) {
    return query(sql, rs -> rs.getLong(1));
  }

  /** The single text value of a query (null when SQL says null). */
  public String queryText(String sql) {
    return query(sql, rs -> rs.getString(1));
  }

  private interface Column<T> {
    T read(java.sql.ResultSet rs) throws SQLException;
  }

  private <T> T query(String sql, Column<T> column) {
    try (Connection c = sql();
        var s = c.createStatement();
        var rs = s.executeQuery(sql)) {
      rs.next();
      return column.read(rs);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    nodes.forEach(RowstreamNode::close);
    // A test class's static broker lives as long as the test JVM: let go of the closed nodes.
    nodes.clear();
  }
}
