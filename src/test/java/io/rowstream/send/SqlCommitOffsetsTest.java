package io.rowstream.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.Await;
import io.rowstream.support.KafkaClients;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.util.PSQLException;

/**
 * rowstream.commit_offsets over JDBC against a running node: a commit from SQL is what HTTP (v2
 * offsets, v3 lags) and Kafka's OffsetFetch read; a rolled-back one stores nothing; an unknown,
 * expired or stale member raises the documented SQLSTATE and stores nothing; and a consumer that
 * reads over HTTP and stores its results and offsets in one SQL transaction, killed at random
 * points, processes every input exactly once.
 */
class SqlCommitOffsetsTest {
  private static TestBroker broker;
  private static TestHttp http;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("sql_commit");
    http = broker.http();
    http.createTopic("ledger", 2);
    http.createTopic("fenced", 1);
    http.createTopic("inputs", 1);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static void produce(String topic, int partition, List<String> values) {
    List<Map<String, Object>> records = new ArrayList<>();
    values.forEach(v -> records.add(Map.of("value", b64(v))));
    var r = http.post(
        "/topics/" + topic + "/partitions/" + partition,
        TestHttp.BINARY,
        TestHttp.json(Map.of("records", records)));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String offsets(String topic, int partition, long offset) {
    return "[{\"topic\": \"" + topic + "\", \"partition\": " + partition + ", \"offset\": " + offset
        + "}]";
  }

  /** Calls commit_offsets on {@code c}; member and generation as SQL literals ("null" for null). */
  private static void commit(
      Connection c, String group, String member, Integer generation, String offsets)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("select rowstream.commit_offsets(?, ?, ?, ?::jsonb)")) {
      s.setString(1, group);
      s.setString(2, member);
      s.setObject(3, generation, java.sql.Types.INTEGER);
      s.setString(4, offsets);
      s.execute();
    }
  }

  private static void commitAlone(String group, String member, Integer generation, String offsets)
      throws SQLException {
    try (Connection c = broker.sql()) {
      commit(c, group, member, generation, offsets);
    }
  }

  private static String sqlState(String group, String member, Integer generation, String offsets) {
    try {
      commitAlone(group, member, generation, offsets);
      throw new AssertionError("commit_offsets did not raise");
    } catch (PSQLException e) {
      return e.getSQLState();
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static long committed(String group, String topic, int partition) {
    return broker.queryLong("select coalesce((select o.committed_offset from committed_offset o"
        + " join topic t using (topic_id) where o.group_name = '" + group + "' and t.name = '"
        + topic + "' and o.partition_id = " + partition + "), -1)");
  }

  private static long rows(String group) {
    return broker.queryLong(
        "select count(*) from committed_offset where group_name = '" + group + "'");
  }

  /** A v2 consumer instance named {@code name}, binary, no auto-commit; returns its path. */
  private static String member(String group, String name) {
    Map<String, Object> body = new LinkedHashMap<>(Map.of(
        "name", name,
        "format", "binary",
        "auto.offset.reset", "earliest",
        "auto.commit.enable", "false"));
    var r = http.post("/consumers/" + group, TestHttp.V2, TestHttp.json(body));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return "/consumers/" + group + "/instances/" + name;
  }

  private static String subscribed(String group, String name, String topic) {
    String m = member(group, name);
    var r = http.post(
        m + "/subscription", TestHttp.V2, TestHttp.json(Map.of("topics", List.of(topic))));
    assertThat(r.status()).as(r.body()).isEqualTo(204);
    return m;
  }

  private static JsonNode assignments(String member) {
    var r = http.get(member + "/assignments");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().get("partitions");
  }

  private static void delete(String member) {
    assertThat(http.delete(member).status()).isEqualTo(204);
  }

  @Test
  void a_commit_from_sql_is_read_over_http_v2_v3_and_kafka_offset_fetch() throws Exception {
    produce("ledger", 1, List.of("a", "b", "c", "d", "e"));
    try (Connection c = broker.sql()) {
      c.setAutoCommit(false);
      commit(
          c,
          "g-read",
          null,
          null,
          "[{\"topic\": \"ledger\", \"partition\": 1, \"offset\": 1},"
              + " {\"topic\": \"ledger\", \"partition\": 1, \"offset\": 3, \"metadata\": \"sql\"}]");
      assertThat(committed("g-read", "ledger", 1))
          .as("not visible before the commit")
          .isEqualTo(-1);
      c.commit();
    }
    assertThat(committed("g-read", "ledger", 1))
        .as("a partition named twice: its last")
        .isEqualTo(3);

    String m = member("g-read", "reader");
    var v2 = http.method(
        "GET",
        m + "/offsets",
        TestHttp.V2,
        TestHttp.json(Map.of("partitions", List.of(Map.of("topic", "ledger", "partition", 1)))));
    assertThat(v2.status()).as(v2.body()).isEqualTo(200);
    JsonNode offset = v2.json().get("offsets").get(0);
    assertThat(offset.get("offset").asLong()).isEqualTo(3);
    assertThat(offset.get("metadata").asText()).isEqualTo("sql");
    delete(m);

    JsonNode lags = http.get("/v3/clusters/" + http.clusterId() + "/consumer-groups/g-read/lags")
        .json();
    List<String> lagRows = new ArrayList<>();
    lags.get("data")
        .forEach(l -> lagRows.add(
            l.get("topic_name").asText() + "/" + l.get("partition_id").asInt() + " at "
                + l.get("current_offset").asLong() + " lag " + l.get("lag").asLong()));
    assertThat(lagRows).containsExactly("ledger/1 at 3 lag 2");

    try (KafkaConsumer<byte[], byte[]> consumer =
        KafkaClients.consumer(broker.kafkaBootstrap(), Map.of("group.id", "g-read"))) {
      TopicPartition p1 = new TopicPartition("ledger", 1);
      Map<TopicPartition, OffsetAndMetadata> fetched = consumer.committed(Set.of(p1));
      assertThat(fetched.get(p1).offset()).isEqualTo(3);
      assertThat(fetched.get(p1).metadata()).isEqualTo("sql");
    }
  }

  @Test
  void a_rolled_back_commit_stores_nothing() throws Exception {
    try (Connection c = broker.sql()) {
      c.setAutoCommit(false);
      commit(c, "g-rollback", null, -1, offsets("ledger", 0, 4));
      c.rollback();
      var savepoint = c.setSavepoint();
      commit(c, "g-rollback", "", -1, offsets("ledger", 0, 5));
      c.rollback(savepoint);
      commit(c, "g-rollback", null, null, offsets("ledger", 1, 2));
      c.commit();
    }
    assertThat(committed("g-rollback", "ledger", 0)).isEqualTo(-1);
    assertThat(committed("g-rollback", "ledger", 1)).isEqualTo(2);
  }

  @Test
  void an_http_member_that_missed_a_rebalance_or_is_gone_is_refused_and_nothing_is_stored()
      throws Exception {
    String a = subscribed("g-fence", "a", "fenced");
    assertThat(assignments(a)).hasSize(1); // a has seen the generation
    commitAlone("g-fence", "a", null, offsets("fenced", 0, 1));
    String memberId = broker.queryText(
        "select member_id from consumer_instance where group_name = 'g-fence' and instance_id = 'a'");
    int generation = (int)
        broker.queryLong("select generation from consumer_group where group_name = 'g-fence'");
    commitAlone("g-fence", memberId, generation, offsets("fenced", 0, 2));
    assertThat(committed("g-fence", "fenced", 0)).isEqualTo(2);

    String b = subscribed("g-fence", "b", "fenced"); // a rebalance a has not seen
    assertThat(sqlState("g-fence", "a", null, offsets("fenced", 0, 3))).isEqualTo("RSC02");
    assertThat(sqlState("g-fence", memberId, generation, offsets("fenced", 0, 3)))
        .isEqualTo("RSC02");
    assertThat(sqlState("g-fence", memberId, generation + 1, offsets("fenced", 0, 3)))
        .as("the current generation, but a has not seen it")
        .isEqualTo("RSC02");
    assertThat(sqlState("g-fence", "nobody", null, offsets("fenced", 0, 3))).isEqualTo("RSC01");
    assertThat(sqlState("g-fence", null, null, offsets("fenced", 0, 3)))
        .as("without membership while the group has live members")
        .isEqualTo("RSC01");
    assertThat(committed("g-fence", "fenced", 0)).isEqualTo(2);

    assignments(a); // a learns of the rebalance
    commitAlone("g-fence", "a", generation + 1, offsets("fenced", 0, 3));
    assertThat(committed("g-fence", "fenced", 0)).isEqualTo(3);

    // a's lease ends on the database clock (the reaper has not removed it yet)
    broker.queryLong("with e as (update consumer_instance set lease_expires_at = now() - interval"
        + " '1 second' where group_name = 'g-fence' and instance_id = 'a' returning 1)"
        + " select count(*) from e");
    assertThat(sqlState("g-fence", "a", null, offsets("fenced", 0, 4))).isEqualTo("RSC01");
    delete(b);
    assertThat(sqlState("g-fence", "b", null, offsets("fenced", 0, 4))).isEqualTo("RSC01");
    assertThat(committed("g-fence", "fenced", 0)).isEqualTo(3);
  }

  @Test
  void bad_input_raises_the_documented_sqlstate_and_stores_nothing() {
    assertThat(sqlState("g-bad", null, null, offsets("missing", 0, 1))).isEqualTo("RSC05");
    assertThat(sqlState("g-bad", null, null, offsets("ledger", 2, 1))).isEqualTo("RSC06");
    assertThat(sqlState("g-bad", null, null, offsets("ledger", -1, 1))).isEqualTo("RSC06");
    assertThat(sqlState("g-bad", null, null, offsets("ledger", 0, -1))).isEqualTo("RSC07");
    assertThat(sqlState("g-bad", null, null, "{\"topic\": \"ledger\"}")).isEqualTo("RSC07");
    assertThat(sqlState("g-bad", null, null, "[{\"topic\": \"ledger\", \"partition\": 0}]"))
        .isEqualTo("RSC07");
    assertThat(sqlState(
            "g-bad",
            null,
            null,
            "[{\"topic\": \"ledger\", \"partition\": 0, \"offset\": 1},"
                + " {\"topic\": \"ledger\", \"partition\": 0, \"offset\": \"x\"}]"))
        .isEqualTo("RSC07");
    assertThat(rows("g-bad")).isZero();
  }

  @Test
  void only_a_role_granted_rowstream_committer_may_commit() throws Exception {
    try (Connection c = broker.sql();
        Statement s = c.createStatement()) {
      s.execute("drop role if exists sql_commit_app");
      s.execute("drop role if exists sql_commit_other");
      s.execute("create role sql_commit_app nologin");
      s.execute("create role sql_commit_other nologin");
      s.execute("grant rowstream_committer to sql_commit_app");
      s.execute("grant rowstream_sender to sql_commit_other");
      s.execute("set role sql_commit_other");
      assertThatThrownBy(() -> commit(c, "g-role", null, null, offsets("ledger", 0, 1)))
          .isInstanceOfSatisfying(
              PSQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
      s.execute("reset role");
      s.execute("set role sql_commit_app");
      commit(c, "g-role", null, null, offsets("ledger", 0, 1));
      assertThatThrownBy(() -> s.execute("select count(*) from rowstream.committed_offset"))
          .isInstanceOfSatisfying(
              PSQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
      s.execute("reset role");
      s.execute("drop role sql_commit_app");
      s.execute("drop role sql_commit_other");
    }
    assertThat(committed("g-role", "ledger", 0)).isEqualTo(1);
  }

  /**
   * A Kafka client's member id and generation ({@code groupMetadata()}): a classic member is
   * fenced by the group's generation, a KIP-848 member by its member epoch.
   */
  @ParameterizedTest
  @ValueSource(strings = {"classic", "consumer"})
  void kafka_members_commit_under_their_generation_or_member_epoch(String protocol)
      throws Exception {
    String group = "g-kafka-" + protocol;
    Map<String, Object> config = new LinkedHashMap<>(Map.of(
        ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol));
    if (protocol.equals("classic")) { // KIP-848 members take these from the broker
      config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000);
      config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 300);
    }
    try (KafkaConsumer<byte[], byte[]> consumer =
        KafkaClients.consumer(broker.kafkaBootstrap(), config)) {
      consumer.subscribe(List.of("ledger"));
      Await.until("both partitions are assigned", Duration.ofSeconds(30), () -> {
        consumer.poll(Duration.ofMillis(100));
        return consumer.assignment().size() == 2;
      });
      var meta = consumer.groupMetadata();
      String stale = protocol.equals("classic") ? "RSC02" : "RSC03";
      assertThat(sqlState(group, meta.memberId(), meta.generationId() + 1, offsets("ledger", 0, 2)))
          .isEqualTo(stale);
      assertThat(sqlState(group, meta.memberId(), null, offsets("ledger", 0, 2)))
          .isEqualTo(stale);
      assertThat(sqlState(
              group, "not-" + meta.memberId(), meta.generationId(), offsets("ledger", 0, 2)))
          .isEqualTo("RSC01");
      assertThat(sqlState(group, null, -1, offsets("ledger", 0, 2)))
          .as("without membership while the group has a live member")
          .isEqualTo("RSC01");
      assertThat(rows(group)).isZero();
      commitAlone(group, meta.memberId(), meta.generationId(), offsets("ledger", 0, 2));
      TopicPartition p0 = new TopicPartition("ledger", 0);
      assertThat(consumer.committed(Set.of(p0)).get(p0).offset()).isEqualTo(2);
    }
  }

  @Test
  void a_member_joins_only_after_the_transaction_that_committed_without_membership_ends()
      throws Exception {
    String a = member("g-wait", "a");
    try (Connection app = broker.sql()) {
      app.setAutoCommit(false);
      commit(app, "g-wait", null, null, offsets("fenced", 0, 7)); // the group is empty: accepted
      CompletableFuture<Integer> join = CompletableFuture.supplyAsync(() -> http.post(
              a + "/subscription", TestHttp.V2, TestHttp.json(Map.of("topics", List.of("fenced"))))
          .status());
      Await.until(
          "the rebalance waits for the group row the commit holds",
          Duration.ofSeconds(20),
          () -> broker.queryLong("select count(*) from pg_stat_activity where wait_event_type ="
                  + " 'Lock' and query ilike '%consumer_group%' and datname = current_database()")
              > 0);
      assertThat(join).isNotDone();
      app.commit();
      assertThat(join.get(20, TimeUnit.SECONDS)).isEqualTo(204);
    }
    assertThat(committed("g-wait", "fenced", 0)).isEqualTo(7);
    assertThat(sqlState("g-wait", null, null, offsets("fenced", 0, 8)))
        .as("now the group has a live member")
        .isEqualTo("RSC01");
    assertThat(committed("g-wait", "fenced", 0)).isEqualTo(7);
  }

  /** How a round of the exactly-once consumer ends. */
  private enum Ending {
    COMMITTED,
    ROLLED_BACK_BEFORE_THE_OFFSETS,
    CONNECTION_KILLED_AFTER_THE_OFFSETS,
    FENCED_BY_A_NEW_CONSUMER
  }

  @Test
  void a_consumer_that_stores_results_and_offsets_in_one_transaction_processes_each_input_once()
      throws Exception {
    int inputs = 60;
    List<String> values = new ArrayList<>();
    for (int i = 0; i < inputs; i++) {
      values.add("input-" + i);
    }
    produce("inputs", 0, values);
    try (Connection c = broker.sql();
        Statement s = c.createStatement()) {
      s.execute("create table public.processed (input text not null, source_offset bigint)");
    }
    Random random = new Random(23);
    int incarnation = 0;
    String consumer = subscribed("g-once", "worker-0", "inputs");
    int crashes = 0;
    Map<Ending, Integer> seen = new LinkedHashMap<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (committed("g-once", "inputs", 0) < inputs) {
      assertThat(System.nanoTime()).as("the consumer finishes within 90 s").isLessThan(deadline);
      var r = http.get(consumer + "/records?timeout=1000", "Accept", TestHttp.BINARY);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      JsonNode records = r.json();
      if (records.isEmpty()) {
        continue;
      }
      int take = 1 + random.nextInt(Math.min(records.size(), 7));
      Ending ending = crashes < 12 && random.nextInt(3) == 0
          ? Ending.values()[1 + random.nextInt(3)]
          : Ending.COMMITTED;
      seen.merge(ending, 1, Integer::sum);
      long next = records.get(take - 1).get("offset").asLong() + 1;
      Connection app = broker.sql();
      try {
        app.setAutoCommit(false);
        try (PreparedStatement insert = app.prepareStatement(
            "insert into public.processed (input, source_offset) values (?, ?)")) {
          for (int i = 0; i < take; i++) {
            JsonNode record = records.get(i);
            insert.setString(
                1,
                new String(
                    Base64.getDecoder().decode(record.get("value").asText()),
                    StandardCharsets.UTF_8));
            insert.setLong(2, record.get("offset").asLong());
            insert.executeUpdate();
          }
        }
        String member = consumer.substring(consumer.lastIndexOf('/') + 1);
        switch (ending) {
          case COMMITTED -> {
            commit(app, "g-once", member, null, offsets("inputs", 0, next));
            app.commit();
            // what is left of the batch is read again: seek to the committed offset
            var seek = http.post(
                consumer + "/positions",
                TestHttp.V2,
                TestHttp.json(Map.of(
                    "offsets",
                    List.of(Map.of("topic", "inputs", "partition", 0, "offset", next)))));
            assertThat(seek.status()).as(seek.body()).isEqualTo(204);
          }
          case ROLLED_BACK_BEFORE_THE_OFFSETS -> app.rollback();
          case CONNECTION_KILLED_AFTER_THE_OFFSETS -> {
            commit(app, "g-once", member, null, offsets("inputs", 0, next));
            long pid = ((org.postgresql.PGConnection) app).getBackendPID();
            assertThat(broker.queryText("select pg_terminate_backend(" + pid + ")::text"))
                .isEqualTo("true");
            assertThatThrownBy(app::commit).isInstanceOf(SQLException.class);
          }
          case FENCED_BY_A_NEW_CONSUMER -> {
            // a new consumer joins before this one commits: the group rebalances under it
            String successor = subscribed("g-once", "worker-" + (incarnation + 1), "inputs");
            assertThatThrownBy(
                    () -> commit(app, "g-once", member, null, offsets("inputs", 0, next)))
                .isInstanceOfSatisfying(
                    PSQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("RSC02"));
            app.rollback();
            delete(consumer);
            consumer = successor;
            incarnation++;
            crashes++;
            continue;
          }
        }
      } finally {
        app.close();
      }
      if (ending != Ending.COMMITTED) {
        // the consumer process died: its instance goes, a new one resumes at the committed offset
        delete(consumer);
        incarnation++;
        crashes++;
        consumer = subscribed("g-once", "worker-" + incarnation, "inputs");
      }
    }
    assertThat(seen.keySet()).as("every ending happened").hasSize(Ending.values().length);

    List<String> processed = new ArrayList<>();
    try (Connection c = broker.sql();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("select input from public.processed order by source_offset, input")) {
      while (rs.next()) {
        processed.add(rs.getString(1));
      }
    }
    assertThat(processed).as("every input processed exactly once").isEqualTo(values);
    assertThat(crashes).isGreaterThan(3);
  }
}
