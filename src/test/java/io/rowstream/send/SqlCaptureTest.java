package io.rowstream.send;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.support.Await;
import io.rowstream.support.KafkaClients;
import io.rowstream.support.Sql;
import io.rowstream.support.TestBroker;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/**
 * rowstream.capture over JDBC against a running node: every committed insert, update and delete of
 * a captured table is in the topic once, as a JSON change keyed by the primary key, in commit
 * order per key (also under concurrent updates), read back with a Kafka consumer; a rolled-back
 * change never is; uncapture stops it; bad input raises its SQLSTATE and installs nothing.
 */
class SqlCaptureTest {
  private static final Duration LIMIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestBroker broker;

  /** One change read back: its partition, key, value and header. */
  private record Change(int partition, String key, JsonNode value, String table) {
    String op() {
      return value.get("op").asText();
    }
  }

  @BeforeAll
  static void start() {
    broker = TestBroker.start("sql_capture");
    broker.http().createTopic("item-changes", 3);
    broker.http().createTopic("counter-changes", 4);
    broker.http().createTopic("other-changes", 2);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void inserts_updates_and_deletes_appear_once_each_in_commit_order_per_key_and_a_rollback_never()
      throws Exception {
    try (Connection c = broker.sql()) {
      Sql.execute(c, "create table public.cap_item (id int primary key, name text, price numeric)");
      assertThat(
              broker.queryText("select rowstream.capture('public.cap_item', 'item-changes')::text"))
          .isEqualTo("{id}");
      Sql.execute(c, "insert into public.cap_item values (1, 'pen', 1.50), (2, 'ink', 3)");
      Sql.execute(c, "update public.cap_item set price = 2 where id = 1");
      c.setAutoCommit(false);
      Sql.execute(c, "insert into public.cap_item values (3, 'never', 0)");
      Sql.execute(c, "update public.cap_item set name = 'never' where id = 2");
      c.rollback();
      Sql.execute(c, "delete from public.cap_item where id = 2");
      Sql.execute(c, "update public.cap_item set id = 10 where id = 1");
      c.commit();
    }
    List<Change> changes = readAll("item-changes", 3, 6);
    Map<String, List<Change>> byKey = byKey(changes);
    assertThat(byKey.keySet())
        .containsExactlyInAnyOrder("{\"id\": 1}", "{\"id\": 2}", "{\"id\": 10}");
    assertThat(byKey.get("{\"id\": 1}").stream().map(Change::op)).containsExactly("c", "u", "d");
    assertThat(byKey.get("{\"id\": 2}").stream().map(Change::op)).containsExactly("c", "d");
    assertThat(byKey.get("{\"id\": 10}").stream().map(Change::op)).containsExactly("c");

    List<Change> one = byKey.get("{\"id\": 1}");
    JsonNode created = one.get(0).value();
    assertThat(created.get("before").isNull()).isTrue();
    assertThat(created.get("after"))
        .isEqualTo(JSON.readTree("{\"id\": 1, \"name\": \"pen\", \"price\": 1.50}"));
    assertThat(created.get("table").asText()).isEqualTo("public.cap_item");
    assertThat(created.get("txid").asText()).matches("[0-9]+");
    assertThat(created.get("ts").asText()).isNotEmpty();
    JsonNode updated = one.get(1).value();
    assertThat(updated.get("before").get("price").decimalValue()).isEqualByComparingTo("1.50");
    assertThat(updated.get("after").get("price").decimalValue()).isEqualByComparingTo("2");
    JsonNode keyChanged = one.get(2).value();
    assertThat(keyChanged.get("after").isNull()).isTrue();
    assertThat(keyChanged.get("before").get("id").asInt()).isEqualTo(1);
    JsonNode renamed = byKey.get("{\"id\": 10}").getFirst().value();
    assertThat(renamed.get("before").isNull()).isTrue();
    assertThat(renamed.get("after").get("id").asInt()).isEqualTo(10);
    assertThat(renamed.get("txid")).isEqualTo(keyChanged.get("txid"));
    assertThat(byKey.get("{\"id\": 2}").get(1).value().get("before").get("name").asText())
        .isEqualTo("ink");

    for (Change change : changes) {
      assertThat(change.table()).isEqualTo("public.cap_item");
      assertThat(change.partition())
          .as("key %s takes Kafka's partition", change.key())
          .isEqualTo(
              Utils.toPositive(Utils.murmur2(change.key().getBytes(StandardCharsets.UTF_8))) % 3);
      assertThat(change.value().toString()).doesNotContain("never");
    }
  }

  @Test
  void concurrent_updates_appear_once_each_in_commit_order_per_key() throws Exception {
    int keys = 5;
    int threads = 4;
    int updates = 50;
    try (Connection c = broker.sql()) {
      Sql.execute(c, "create table public.cap_counter (id int primary key, version int not null)");
      Sql.execute(c, "select rowstream.capture('public.cap_counter', 'counter-changes')");
      Sql.execute(
          c, "insert into public.cap_counter select i, 0 from generate_series(1, " + keys + ") i");
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    int committed = 0;
    try {
      List<Future<Integer>> updated = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Random random = new Random(t);
        updated.add(pool.submit(() -> updateRandomly(random, keys, updates)));
      }
      for (Future<Integer> f : updated) {
        committed += f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(broker.queryLong("select sum(version) from public.cap_counter"))
        .isEqualTo(committed);
    List<Change> changes = readAll("counter-changes", 4, keys + committed);
    Map<String, List<Change>> byKey = byKey(changes);
    assertThat(byKey).hasSize(keys);
    for (int id = 1; id <= keys; id++) {
      List<Change> ofKey = byKey.get("{\"id\": " + id + "}");
      long finalVersion =
          broker.queryLong("select version from public.cap_counter where id = " + id);
      assertThat(ofKey)
          .as("key %d: a create and one update per committed version", id)
          .hasSize((int) finalVersion + 1);
      for (int v = 0; v <= finalVersion; v++) {
        Change change = ofKey.get(v);
        assertThat(change.op()).isEqualTo(v == 0 ? "c" : "u");
        assertThat(change.value().get("after").get("version").asInt())
            .as("key %d, change %d in commit order", id, v)
            .isEqualTo(v);
      }
    }
  }

  /**
   * Commits {@code updates} transactions of one or two random keys each, retrying one refused with
   * 40001; answers the rows it updated.
   */
  private static int updateRandomly(Random random, int keys, int updates) throws SQLException {
    int rows = 0;
    try (Connection c = broker.sql();
        PreparedStatement ps = c.prepareStatement(
            "update public.cap_counter set version = version + 1 where id = ?")) {
      c.setAutoCommit(false);
      for (int i = 0; i < updates; i++) {
        int first = 1 + random.nextInt(keys);
        int second = 1 + random.nextInt(keys);
        while (true) {
          try {
            // Two keys per transaction, in a fixed order (no deadlock): a transaction holds its
            // id while it waits for another's row, the case where ids and commits disagree.
            ps.setInt(1, Math.min(first, second));
            ps.executeUpdate();
            if (first != second) {
              ps.setInt(1, Math.max(first, second));
              ps.executeUpdate();
            }
            c.commit();
            rows += first == second ? 1 : 2;
            break;
          } catch (PSQLException e) {
            c.rollback();
            if (!"40001".equals(e.getSQLState())) {
              throw e;
            }
          }
        }
      }
    }
    return rows;
  }

  @Test
  void uncapture_stops_the_capture_and_may_run_twice_and_a_writer_needs_no_grant()
      throws Exception {
    try (Connection c = broker.sql()) {
      Sql.execute(c, "create table public.cap_note (id int primary key, body text)");
      Sql.execute(c, "select rowstream.capture('public.cap_note', 'other-changes')");
      Sql.execute(c, "insert into public.cap_note values (1, 'captured')");
      Sql.execute(c, "select rowstream.uncapture('public.cap_note')");
      Sql.execute(c, "select rowstream.uncapture('public.cap_note')");
      c.setAutoCommit(false);
      Sql.execute(c, "insert into public.cap_note values (2, 'not captured')");
      Sql.execute(c, "update public.cap_note set body = 'not captured' where id = 1");
      assertThat(Sql.queryLong(
              c,
              "select count(*) from rowstream.sent_record where sender_xid = pg_current_xact_id()"))
          .as("nothing sent by writes after uncapture")
          .isZero();
      c.commit();
    }
    assertThat(triggers("cap_note")).isZero();
    try (Connection c = broker.sql()) {
      // The trigger sends as its owner: a writer of the table needs no rowstream_sender.
      Sql.execute(c, "drop role if exists cap_writer");
      Sql.execute(c, "create role cap_writer nologin");
      Sql.execute(c, "grant usage on schema public to cap_writer");
      Sql.execute(c, "grant insert on public.cap_note to cap_writer");
      Sql.execute(c, "select rowstream.capture('public.cap_note', 'other-changes')");
      Sql.execute(c, "set role cap_writer");
      Sql.execute(c, "insert into public.cap_note values (3, 'by a writer')");
      Sql.execute(c, "reset role");
      Sql.execute(c, "select rowstream.uncapture('public.cap_note')");
    }
    List<Change> changes = readAll("other-changes", 2, 2);
    assertThat(changes.stream()
            .map(change -> change.value().get("after").get("body").asText()))
        .containsExactlyInAnyOrder("captured", "by a writer");
  }

  @Test
  void bad_input_raises_its_sqlstate_and_installs_nothing() throws Exception {
    try (Connection c = broker.sql()) {
      Sql.execute(c, "create table public.cap_bad (id int primary key, code text)");
      Sql.execute(c, "create table public.cap_keyless (code text, n int)");
      Sql.execute(c, "create view public.cap_view as select * from public.cap_bad");
      Sql.execute(c, "drop role if exists cap_stranger");
      Sql.execute(c, "create role cap_stranger nologin");
      Sql.execute(c, "grant rowstream_sender to cap_stranger");
    }
    refused("select rowstream.capture('public.cap_bad', 'no-such-topic')", "RSS01");
    refused("select rowstream.capture('public.cap_keyless', 'other-changes')", "RCA01");
    refused(
        "select rowstream.capture('public.cap_bad', 'other-changes', array['id', 'nope'])",
        "RCA02");
    refused(
        "select rowstream.capture('public.cap_keyless', 'other-changes', array[]::text[])",
        "RCA02");
    refused("select rowstream.capture('public.cap_view', 'other-changes')", "RCA03");
    refused(
        "set role cap_stranger; select rowstream.capture('public.cap_bad', 'other-changes')",
        "42501");
    assertThat(triggers("cap_bad")).isZero();
    assertThat(triggers("cap_keyless")).isZero();

    assertThat(broker.queryText("select rowstream.capture('public.cap_keyless', 'other-changes',"
            + " array['code', 'n'])::text"))
        .as("named key columns on a table without a primary key")
        .isEqualTo("{code,n}");
    assertThat(triggers("cap_keyless")).isOne();
    broker.queryText("select rowstream.uncapture('public.cap_keyless')::text");
  }

  @Test
  void the_readme_example_answers_what_the_readme_shows() throws Exception {
    broker.http().createTopic("payments", 3);
    try (Connection c = broker.sql()) {
      Sql.execute(c, "create table public.payment (id int primary key, amount numeric)");
      Sql.execute(c, "insert into public.payment values (1, 42.50)");
      Sql.execute(c, "set search_path = public");
      assertThat(Sql.queryText(c, "select rowstream.capture('public.payment', 'payments')::text"))
          .isEqualTo("{id}");
      Sql.execute(c, "update payment set amount = 50 where id = 1");
      String shown = "select convert_from(key, 'UTF8') as key,"
          + " convert_from(value, 'UTF8')::jsonb - 'ts' - 'txid' as change"
          + " from rowstream.read_messages('payments',"
          + " rowstream.kafka_partition_for_key(convert_to('{\"id\": 1}', 'UTF8'), 3))"
          + " where convert_from(key, 'UTF8') = '{\"id\": 1}'";
      Await.until("the change is in the log", LIMIT, () -> {
        try {
          return Sql.queryText(c, "select count(*) from (" + shown + ") x").equals("1");
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      assertThat(Sql.queryText(c, "select key || ' | ' || change from (" + shown + ") x"))
          .isEqualTo("{\"id\": 1} | {\"op\": \"u\", \"after\": {\"id\": 1, \"amount\": 50},"
              + " \"table\": \"public.payment\", \"before\": {\"id\": 1, \"amount\": 42.50}}");
      Sql.execute(c, "select rowstream.uncapture('public.payment')");
    }
    assertThat(triggers("payment")).isZero();
  }

  private static long triggers(String table) {
    return broker.queryLong("select count(*) from pg_trigger where tgname = 'rowstream_capture'"
        + " and tgrelid = 'public." + table + "'::regclass");
  }

  private static void refused(String sql, String sqlState) throws SQLException {
    try (Connection c = broker.sql()) {
      Sql.refusedAndRolledBack(c, sql, sqlState);
    }
  }

  /** Every record of the topic (at least {@code expected}), read with a Kafka consumer. */
  private static List<Change> readAll(String topic, int partitions, int expected) throws Exception {
    List<Change> read = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        KafkaClients.consumer(broker.kafkaBootstrap(), Map.of())) {
      List<TopicPartition> all = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        all.add(new TopicPartition(topic, p));
      }
      consumer.assign(all);
      consumer.seekToBeginning(all);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      Await.until(expected + " changes in " + topic, LIMIT, () -> {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        return records.size() >= expected;
      });
      for (ConsumerRecord<byte[], byte[]> r : records) {
        read.add(new Change(
            r.partition(),
            new String(r.key(), StandardCharsets.UTF_8),
            JSON.readTree(r.value()),
            new String(r.headers().lastHeader("rowstream.table").value(), StandardCharsets.UTF_8)));
      }
    }
    assertThat(broker.queryLong(
            "select coalesce(sum(pending_records), 0) from rowstream.sent_record_overview"))
        .as("nothing more waits to be moved")
        .isZero();
    assertThat(read).hasSize(expected);
    return read;
  }

  /** Changes by key, each key's in log order (one key is in one partition). */
  private static Map<String, List<Change>> byKey(List<Change> changes) {
    Map<String, List<Change>> byKey = new LinkedHashMap<>();
    for (Change change : changes) {
      byKey.computeIfAbsent(change.key(), k -> new ArrayList<>()).add(change);
    }
    return byKey;
  }
}
