package io.rowstream.citus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.RowstreamNode;
import io.rowstream.config.NodeConfig;
import io.rowstream.db.Migrations;
import io.rowstream.support.TestHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.postgresql.PGConnection;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What docs/scaling.md claims about Rowstream on Citus, checked against a Citus coordinator: runs
 * only when {@code ROWSTREAM_TEST_CITUS_URL} names one (a database with the citus extension on the
 * coordinator and every worker, workers registered; {@code docker-compose.citus.yml} makes
 * {@code jdbc:postgresql://localhost:5433/rowstream_test}, user {@code ROWSTREAM_TEST_CITUS_USER},
 * default postgres, password {@code ROWSTREAM_TEST_CITUS_PASSWORD}). Elsewhere, CI included, it is
 * skipped. It empties the database's rowstream schemas, migrates them, applies
 * {@code docker/citus/keys.sql} and {@code distribute.sql}, starts a node on the coordinator and
 * sends a record through it.
 */
@EnabledIfEnvironmentVariable(
    named = CitusCompatibilityTest.URL_VARIABLE,
    matches = ".+",
    disabledReason =
        CitusCompatibilityTest.URL_VARIABLE + " is not set: no Citus coordinator to test against"
            + " (docker compose -f docker-compose.citus.yml up -d, then set it; docs/scaling.md section 3)")
class CitusCompatibilityTest {
  static final String URL_VARIABLE = "ROWSTREAM_TEST_CITUS_URL";
  static final List<String> LOG_TABLES = List.of(
      "topic_partition",
      "chunk_storage",
      "segment",
      "chunk",
      "producer_sequence",
      "replica_state",
      "sent_record",
      "sent_progress",
      "committed_offset",
      "consumer_assignment",
      "consumer_target_assignment");
  static final List<String> REFERENCE_TABLES = List.of(
      "cluster",
      "cluster_config",
      "broker",
      "controller",
      "topic",
      "send_topic",
      "auth_user",
      "auth_api_key",
      "acl",
      "producer",
      "consumer_group",
      "consumer_instance",
      "classic_member");

  static String url;
  static Properties credentials;
  static RowstreamNode node;
  static TestHttp http;

  @BeforeAll
  static void start() throws Exception {
    url = System.getenv(URL_VARIABLE);
    credentials = new Properties();
    credentials.setProperty(
        "user", System.getenv().getOrDefault("ROWSTREAM_TEST_CITUS_USER", "postgres"));
    credentials.setProperty(
        "password", System.getenv().getOrDefault("ROWSTREAM_TEST_CITUS_PASSWORD", ""));
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("drop schema if exists rowstream_chunks cascade");
      s.execute("drop schema if exists rowstream cascade");
    }
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(url);
    dataSource.setUser(credentials.getProperty("user"));
    dataSource.setPassword(credentials.getProperty("password"));
    Migrations.apply(dataSource);
    try (Connection c = connect()) {
      CitusScripts.run(c, CitusScripts.KEYS, 0);
      CitusScripts.run(c, CitusScripts.DISTRIBUTE, 4);
    }
    Path dir = Files.createTempDirectory("rowstream-citus");
    node = RowstreamNode.start(NodeConfig.forDatabase(
            url, credentials.getProperty("user"), credentials.getProperty("password"), dir)
        .withNodeId(1));
    http = new TestHttp(node.baseUrl());
    http.createTopic("on-citus", 3);
    http.post(
            "/topics/on-citus/partitions/1",
            TestHttp.JSON,
            "{\"records\":[{\"value\":\"through the coordinator\"}]}")
        .expectStatus(200);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  static Connection connect() throws SQLException {
    return DriverManager.getConnection(url, credentials);
  }

  /** Each rowstream table Citus knows: its type, distribution column and colocation id. */
  static Map<String, List<String>> citusTables() throws SQLException {
    Map<String, List<String>> tables = new LinkedHashMap<>();
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("""
        select table_name::text, citus_table_type, distribution_column, colocation_id::text from citus_tables
         where table_name::text like 'rowstream.%' or table_name::text like 'rowstream_chunks.%'""")) {
      while (rs.next()) {
        tables.put(rs.getString(1), List.of(rs.getString(2), rs.getString(3), rs.getString(4)));
      }
    }
    return tables;
  }

  @Test
  void log_tables_are_distributed_by_topic_id_in_one_colocation_group() throws Exception {
    Map<String, List<String>> tables = citusTables();
    String colocation = tables.get("rowstream.topic_partition").get(2);
    for (String table : LOG_TABLES) {
      assertThat(tables.get("rowstream." + table))
          .as(table)
          .containsExactly("distributed", "topic_id", colocation);
    }
  }

  @Test
  void small_tables_are_reference_tables() throws Exception {
    Map<String, List<String>> tables = citusTables();
    for (String table : REFERENCE_TABLES) {
      assertThat(tables.get("rowstream." + table).get(0)).as(table).isEqualTo("reference");
    }
  }

  @Test
  void a_segment_storage_created_after_distribution_is_distributed_with_chunk() throws Exception {
    Map<String, List<String>> tables = citusTables();
    List<String> storages =
        tables.keySet().stream().filter(t -> t.startsWith("rowstream_chunks.")).toList();
    assertThat(storages).isNotEmpty();
    for (String storage : storages) {
      assertThat(tables.get(storage))
          .as(storage)
          .containsExactly(
              "distributed", "topic_id", tables.get("rowstream.chunk").get(2));
    }
  }

  @Test
  void the_log_functions_are_delegated_by_their_topic_id() throws Exception {
    String colocation = citusTables().get("rowstream.topic_partition").get(2);
    List<String> functions = new ArrayList<>();
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("""
        select p.proname, d.distribution_argument_index, d.colocationid::text, d.force_delegation
          from pg_dist_object d join pg_proc p on d.classid = 'pg_proc'::regclass and d.objid = p.oid
         where p.proname in ('append_chunks', 'read_chunks', 'roll_active_segment') order by 1""")) {
      while (rs.next()) {
        assertThat(rs.getInt(2)).as(rs.getString(1)).isZero();
        assertThat(rs.getString(3)).as(rs.getString(1)).isEqualTo(colocation);
        assertThat(rs.getBoolean(4)).as(rs.getString(1)).isTrue();
        functions.add(rs.getString(1));
      }
    }
    assertThat(functions).containsExactly("append_chunks", "read_chunks", "roll_active_segment");
  }

  @Test
  void a_record_produced_through_a_node_on_the_coordinator_is_fetched_back() {
    var records = http.get(
            "/topics/on-citus/partitions/1/records?offset=0", "Accept", TestHttp.JSON)
        .expectStatus(200)
        .json();
    assertThat(records.size()).isEqualTo(1);
    assertThat(records.get(0).get("value").asText()).isEqualTo("through the coordinator");
  }

  @Test
  void detach_partition_concurrently_is_refused_on_the_distributed_chunk_table() throws Exception {
    String storage = citusTables().keySet().stream()
        .filter(t -> t.startsWith("rowstream_chunks."))
        .findFirst()
        .orElseThrow();
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.execute(
              "alter table rowstream.chunk detach partition " + storage + " concurrently"))
          .isInstanceOf(SQLException.class);
    }
  }

  @Test
  void a_notification_sent_on_the_coordinator_reaches_a_listener_there() throws Exception {
    try (Connection listener = connect();
        Connection sender = connect()) {
      try (Statement s = listener.createStatement()) {
        s.execute("listen rowstream_citus_check");
      }
      try (Statement s = sender.createStatement()) {
        s.execute("select pg_notify('rowstream_citus_check', 'hint')");
      }
      var received = listener.unwrap(PGConnection.class).getNotifications(10_000);
      assertThat(received).isNotNull();
      assertThat(received[0].getParameter()).isEqualTo("hint");
    }
  }
}
