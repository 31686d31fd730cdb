package io.rowstream.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.log.LogRecord;
import io.rowstream.log.RecordBatchCodec;
import io.rowstream.support.Await;
import io.rowstream.support.KafkaClients;
import io.rowstream.support.Sql;
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
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.util.PSQLException;

/**
 * rowstream.send over JDBC (the SQL door) against a running node: what a committed transaction
 * sends is in the log once, read back over HTTP and with a Kafka consumer; what a rolled-back one
 * sends never is; keys take Kafka's partitions; bad input raises the documented SQLSTATE at the
 * call and stores nothing; the backlog is visible in sent_record_overview and on /metrics.
 */
class SqlSendTest {
  private static final Duration LIMIT = Duration.ofSeconds(20);
  private static TestBroker broker;
  private static TestHttp http;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("sql_send");
    http = broker.http();
    http.createTopic("orders", 3);
    http.createTopic("tiny", 1, Map.of("max.message.bytes", "200"));
    http.createTopic("compacted", 1, Map.of("cleanup.policy", "compact"));
    http.createTopic("bounded", 1, Map.of("message.timestamp.before.max.ms", "86400000"));
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static long logEnd(String topic, int partition) {
    return broker.queryLong(
        "select log_end_offset from topic_partition p join topic t using (topic_id)"
            + " where t.name = '" + topic + "' and p.partition_id = " + partition);
  }

  private static long pending() {
    return broker.queryLong(
        "select coalesce(sum(pending_records), 0) from rowstream.sent_record_overview");
  }

  private static JsonNode readHttp(String topic, int partition, long offset) {
    return http.get(
            "/topics/" + topic + "/partitions/" + partition + "/records?offset=" + offset,
            "Accept",
            TestHttp.BINARY)
        .expectStatus(200)
        .json();
  }

  private static String text(JsonNode base64) {
    return new String(Base64.getDecoder().decode(base64.asText()), StandardCharsets.UTF_8);
  }

  @Test
  void moved_rows_leave_sent_record_when_a_node_empties_their_slot_and_none_moves_twice() {
    http.createTopic("slotted", 1);
    String rows = "select count(*) from sent_record s join topic t using (topic_id)"
        + " where t.name = 'slotted'";
    broker.execute("select rowstream.send('slotted', 'v'::text) from generate_series(1, 50)");
    assertThat(broker.queryLong(rows)).isEqualTo(50);
    Await.until("the records are moved", LIMIT, () -> logEnd("slotted", 0) == 50);
    // A slot is emptied once sends write into the one before it: 10 to 30 s after the send.
    Await.until(
        "a node empties their slot", Duration.ofSeconds(45), () -> broker.queryLong(rows) == 0);
    assertThat(logEnd("slotted", 0)).as("moved once").isEqualTo(50);
    assertThat(pending()).isZero();
  }

  @Test
  void a_node_forgets_the_progress_of_a_deleted_topic_once_it_empties_a_slot() {
    http.createTopic("forgotten", 2);
    broker.execute(
        "select rowstream.send('forgotten', 'v'::text, partition => p) from generate_series(0, 1) p");
    Await.until(
        "the records are moved",
        LIMIT,
        () -> logEnd("forgotten", 0) == 1 && logEnd("forgotten", 1) == 1);
    long topicId = broker.queryLong("select topic_id from topic where name = 'forgotten'");
    String progress = "select count(*) from sent_progress where topic_id = " + topicId;
    assertThat(broker.queryLong(progress)).isEqualTo(2);
    http.delete("/v3/clusters/" + http.clusterId() + "/topics/forgotten").expectStatus(204);
    // A slot is emptied once sends write into the one before it: 10 to 30 s after its rows.
    Await.until(
        "a node forgets the deleted partitions' progress",
        Duration.ofSeconds(45),
        () -> broker.queryLong(progress) == 0);
    assertThat(broker.queryLong("select count(*) from sent_progress")).isPositive();
  }

  @Test
  void a_rolled_back_send_leaves_nothing_and_a_committed_one_lands_once() throws Exception {
    long start = logEnd("orders", 2);
    long before = broker.queryLong("select floor(extract(epoch from clock_timestamp()) * 1000)");
    try (Connection c = broker.sql()) {
      c.setAutoCommit(false);
      Sql.execute(c, "select rowstream.send('orders', 'never'::text, partition => 2)");
      c.rollback();
      Sql.execute(
          c,
          "select rowstream.send('orders', 'first'::text, convert_to('k', 'UTF8'), "
              + "'{\"trace\": \"t-1\", \"empty\": null}'::jsonb, 2, '2026-01-02 03:04:05.678+00')");
      Sql.execute(c, "select rowstream.send('orders', '{\"n\": 2}'::jsonb, partition => 2)");
      Sql.execute(c, "select rowstream.send('orders', '\\x00ff'::bytea, partition => 2)");
      assertThat(logEnd("orders", 2)).as("nothing moves before the commit").isEqualTo(start);
      c.commit();
    }
    Await.until(
        "the three committed records are in the log",
        LIMIT,
        () -> logEnd("orders", 2) == start + 3);
    Await.until("no sent record is pending", LIMIT, () -> pending() == 0);

    JsonNode records = readHttp("orders", 2, start);
    assertThat(records).hasSize(3);
    assertThat(text(records.get(0).get("value"))).isEqualTo("first");
    assertThat(text(records.get(0).get("key"))).isEqualTo("k");
    assertThat(text(records.get(1).get("value"))).isEqualTo("{\"n\": 2}");
    assertThat(Base64.getDecoder().decode(records.get(2).get("value").asText()))
        .containsExactly(0x00, 0xff);

    try (KafkaConsumer<byte[], byte[]> consumer =
        KafkaClients.consumer(broker.kafkaBootstrap(), Map.of())) {
      TopicPartition tp = new TopicPartition("orders", 2);
      consumer.assign(List.of(tp));
      consumer.seek(tp, start);
      List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
      Await.until("the Kafka consumer read the three records", LIMIT, () -> {
        consumer.poll(Duration.ofMillis(200)).forEach(read::add);
        return read.size() >= 3;
      });
      assertThat(read).hasSize(3);
      ConsumerRecord<byte[], byte[]> first = read.getFirst();
      assertThat(first.offset()).isEqualTo(start);
      assertThat(new String(first.value(), StandardCharsets.UTF_8)).isEqualTo("first");
      assertThat(first.timestamp())
          .isEqualTo(java.time.Instant.parse("2026-01-02T03:04:05.678Z").toEpochMilli());
      Header trace = first.headers().lastHeader("trace");
      assertThat(new String(trace.value(), StandardCharsets.UTF_8)).isEqualTo("t-1");
      assertThat(first.headers().lastHeader("empty").value()).isNull();
      // Sent without a timestamp: the time of the send, on the database's clock.
      assertThat(read.get(1).timestamp())
          .isBetween(before, broker.queryLong("select extract(epoch from now()) * 1000"));
      assertThat(read.stream().map(ConsumerRecord::offset))
          .containsExactly(start, start + 1, start + 2);
    }
  }

  @Test
  void a_key_takes_the_partition_kafka_clients_and_the_http_door_choose() throws Exception {
    Random random = new Random(23);
    try (Connection c = broker.sql();
        PreparedStatement ps = c.prepareStatement(
            "select rowstream.kafka_murmur2(?), rowstream.kafka_partition_for_key(?, 7)")) {
      for (int i = 0; i < 300; i++) {
        byte[] key = new byte[random.nextInt(41)];
        random.nextBytes(key);
        ps.setBytes(1, key);
        ps.setBytes(2, key);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          assertThat(rs.getInt(1))
              .as("murmur2 of %d bytes", key.length)
              .isEqualTo(Utils.murmur2(key));
          assertThat(rs.getInt(2)).isEqualTo(Utils.toPositive(Utils.murmur2(key)) % 7);
        }
      }
    }
    for (String key : List.of("customer-1", "customer-2", "customer-3", "customer-4", "x")) {
      int viaHttp = http.post(
              "/topics/orders",
              TestHttp.BINARY,
              TestHttp.json(Map.of(
                  "records",
                  List.of(Map.of(
                      "key",
                      Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)),
                      "value",
                      "dg==")))))
          .expectStatus(200)
          .json()
          .get("offsets")
          .get(0)
          .get("partition")
          .asInt();
      int viaSql = (int) broker.queryLong(
          "select rowstream.send('orders', 'v'::text, convert_to('" + key + "', 'UTF8'))");
      assertThat(viaSql).as("key %s", key).isEqualTo(viaHttp);
    }
    Await.until("the keyed sends are moved", LIMIT, () -> pending() == 0);
  }

  @Test
  void a_transaction_notifies_once_when_no_node_polls_and_not_while_they_poll() throws Exception {
    long start = logEnd("orders", 0);
    try (Connection listener = broker.sql();
        Connection c = broker.sql()) {
      try (Statement s = listener.createStatement()) {
        s.execute("listen rowstream_send");
        s.execute("listen sql_send_test_marker");
      }
      // No node polls (the heat passed): the sending transaction wakes them, once. The node
      // pushes the heat after a pass that moved records, once every WARM_EVERY at most: a test
      // before this one may just have had it pushed, so this one waits that long first.
      broker.execute("delete from send_heat");
      Thread.sleep(SentRecordMover.WARM_EVERY.toMillis());
      c.setAutoCommit(false);
      for (int i = 0; i < 3; i++) {
        Sql.execute(c, "select rowstream.send('orders', 'notified'::text, partition => 0)");
      }
      c.commit();
      assertThat(notificationsUntilMarker(listener)).containsExactly("rowstream_send");
      Await.until("the notified records are moved", LIMIT, () -> logEnd("orders", 0) == start + 3);

      // The node that moved them polls now, and says so (after the pass that moved them): the
      // next transaction does not notify.
      Await.until(
          "the node that moved them says it polls",
          LIMIT,
          () -> broker.queryLong("select count(*) from send_heat where hot_until > now()") == 1);
      Sql.execute(c, "select rowstream.send('orders', 'polled'::text, partition => 0)");
      c.commit();
      assertThat(notificationsUntilMarker(listener)).isEmpty();
      Await.until("the polled record is moved", LIMIT, () -> logEnd("orders", 0) == start + 4);

      // A session that turns the notification off is moved all the same (polled, or swept).
      broker.execute("delete from send_heat");
      Sql.execute(c, "set local rowstream.send_notify = off");
      Sql.execute(c, "select rowstream.send('orders', 'swept'::text, partition => 0)");
      c.commit();
      assertThat(notificationsUntilMarker(listener)).isEmpty();
      Await.until("the swept record is moved", LIMIT, () -> logEnd("orders", 0) == start + 5);
    }
  }

  /**
   * The channels notified on {@code listener} before a marker notified now: PostgreSQL delivers
   * notifications in commit order, so every transaction committed before holds its place.
   */
  private static List<String> notificationsUntilMarker(Connection listener) throws Exception {
    broker.execute("notify sql_send_test_marker");
    List<String> heard = new ArrayList<>();
    PGConnection pg = listener.unwrap(PGConnection.class);
    Await.until("the marker notification", LIMIT, () -> {
      try {
        org.postgresql.PGNotification[] got = pg.getNotifications(100);
        for (int i = 0; got != null && i < got.length; i++) {
          heard.add(got[i].getName());
        }
        return heard.contains("sql_send_test_marker");
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
    return heard.subList(0, heard.indexOf("sql_send_test_marker"));
  }

  @Test
  void keyless_records_of_one_transaction_stick_to_one_partition() throws Exception {
    try (Connection c = broker.sql()) {
      c.setAutoCommit(false);
      List<Long> partitions = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        partitions.add(Sql.queryLong(c, "select rowstream.send('orders', 'sticky'::text)"));
      }
      c.commit();
      assertThat(partitions).containsOnly(partitions.getFirst());
    }
    Await.until("the keyless sends are moved", LIMIT, () -> pending() == 0);
  }

  @Test
  void bad_input_raises_its_sqlstate_at_the_call_and_stores_nothing() throws Exception {
    long before = broker.queryLong("select coalesce(sum(log_end_offset), 0) from topic_partition");
    refused("select rowstream.send('no-such-topic', 'v'::text)", "RSS01");
    refused("select rowstream.send(null, 'v'::text)", "RSS01");
    refused("select rowstream.send('orders', 'v'::text, partition => 3)", "RSS02");
    refused("select rowstream.send('orders', 'v'::text, partition => -1)", "RSS02");
    refused("select rowstream.send('orders', 'v'::text, headers => '[{\"key\": \"a\"}]')", "RSS04");
    refused("select rowstream.send('orders', 'v'::text, headers => '{\"n\": 1}')", "RSS04");
    refused("select rowstream.send('orders', 'v'::text, headers => '\"h\"')", "RSS04");
    refused("select rowstream.send('compacted', 'v'::text)", "RSS05");
    refused("select rowstream.send('compacted', 'v'::text, partition => 0)", "RSS05");
    refused(
        "select rowstream.send('orders', 'v'::text, \"timestamp\" => '1969-12-31 23:59:59+00')",
        "RSS05");
    // Kafka's default message.timestamp.after.max.ms is an hour; bounded's before is a day.
    refused(
        "select rowstream.send('orders', 'v'::text, \"timestamp\" => now() + interval '2 hours')",
        "RSS05");
    refused(
        "select rowstream.send('bounded', 'v'::text, \"timestamp\" => now() - interval '2 days')",
        "RSS05");
    // tiny's max.message.bytes is 200: the largest value that fits, as the other doors size a batch
    int fits = 0;
    while (RecordBatchCodec.batchSizeOf(new LogRecord(null, new byte[fits + 1], List.of(), 0))
        <= 200) {
      fits++;
    }
    refused("select rowstream.send('tiny', repeat('x', " + (fits + 1) + "))", "RSS03");
    refused(
        "select rowstream.send('orders', 'v'::text, headers => jsonb_build_object('h', repeat('x', 1048588)))",
        "RSS03");
    assertThat(broker.queryLong("select rowstream.send('tiny', repeat('x', " + fits + "))"))
        .isZero();
    assertThat(
            broker.queryLong(
                "select rowstream.send('bounded', 'v'::text, \"timestamp\" => now() - interval '23 hours')"))
        .isZero();
    Await.until("the two records that fit are moved", LIMIT, () -> pending() == 0);
    assertThat(broker.queryLong("select coalesce(sum(log_end_offset), 0) from topic_partition"))
        .isEqualTo(before + 2);
  }

  @Test
  void the_cluster_s_defaults_hold_for_a_topic_that_sets_none_and_its_own_configs_win()
      throws Exception {
    http.createTopic("defaulted", 1);
    try {
      http.setClusterDefault("message.max.bytes", "300");
      http.setClusterDefault("log.cleanup.policy", "compact");
      refused("select rowstream.send('defaulted', repeat('x', 300), key => '\\x01')", "RSS03");
      refused("select rowstream.send('defaulted', 'v'::text)", "RSS05");
      // tiny sets max.message.bytes (200) and orders nothing: the topic's own config wins
      refused("select rowstream.send('tiny', repeat('x', 190), key => '\\x01')", "RSS03");
      assertThat(broker.queryLong(
              "select rowstream.send('defaulted', repeat('x', 100), key => '\\x01')"))
          .isZero();
    } finally {
      for (String name : List.of("message.max.bytes", "log.cleanup.policy")) {
        http.resetClusterDefault(name);
      }
    }
    assertThat(broker.queryLong("select rowstream.send('defaulted', repeat('x', 400))"))
        .isZero();
    // A default written by hand with an illegal value is ignored, as produce ignores it (Kafka's
    // 1048588 applies), rather than refusing the write or failing sends.
    broker.execute("insert into cluster_config (name, value) values ('message.max.bytes', 'big')");
    try {
      assertThat(
              broker.queryLong("select unchecked_bytes from send_topic where name = 'defaulted'"))
          .isEqualTo(1048588 - 80);
      Await.until("the record of 400 bytes is moved", LIMIT, () -> pending() == 0);
      refused(
          "select rowstream.send('defaulted', 'v'::text, headers => jsonb_build_object('h', repeat('x', 1048588)))",
          "RSS03");
      assertThat(broker.queryLong("select rowstream.send('defaulted', repeat('x', 500))"))
          .isZero();
    } finally {
      broker.execute("delete from cluster_config where name = 'message.max.bytes'");
    }
    Await.until("the records that fit are moved", LIMIT, () -> logEnd("defaulted", 0) == 3);
  }

  /**
   * send tests a record against send_topic, which triggers keep in the transaction that changes a
   * topic, compiled into a constant its plans hold: the next send after an altered config, a grown
   * partition count or a deleted topic follows the change, on the connection that sent before it,
   * and the rows it reads are those a fresh refresh would write.
   */
  @Test
  void a_topic_s_altered_configs_new_partitions_and_deletion_hold_from_the_next_send()
      throws Exception {
    try (Connection sender = broker.sql()) {
      String topics = "/v3/clusters/" + http.clusterId() + "/topics";
      http.createTopic("altered", 1);
      assertThat(Sql.queryLong(
              sender, "select rowstream.send('altered', repeat('x', 300), key => '\\x01')"))
          .isZero();
      Await.until("the first send to altered is moved", LIMIT, () -> pending() == 0);
      http.post(
              topics + "/altered/configs:alter",
              "application/json",
              TestHttp.json(Map.of(
                  "data",
                  List.of(
                      Map.of("name", "max.message.bytes", "value", "200"),
                      Map.of("name", "cleanup.policy", "value", "compact")))))
          .expectStatus(204);
      refused(
          sender, "select rowstream.send('altered', repeat('x', 300), key => '\\x01')", "RSS03");
      refused(sender, "select rowstream.send('altered', 'v'::text)", "RSS05");
      refused(
          sender,
          "select rowstream.send('altered', 'v'::text, key => '\\x01', partition => 1)",
          "RSS02");
      http.method(
              "PATCH",
              topics + "/altered",
              "application/json",
              TestHttp.json(Map.of("partitions_count", 2)))
          .expectStatus(200);
      assertThat(Sql.queryLong(
              sender,
              "select rowstream.send('altered', 'v'::text, key => '\\x01', partition => 1)"))
          .isEqualTo(1);
      http.delete(topics + "/altered/configs/max.message.bytes").expectStatus(204);
      assertThat(Sql.queryLong(
              sender, "select rowstream.send('altered', repeat('x', 300), key => '\\x01')"))
          .isEqualTo(broker.queryLong("select kafka_partition_for_key('\\x01', 2)"));
      Await.until("the sends to altered are moved", LIMIT, () -> pending() == 0);
      assertThat(broker.queryText(
              "select string_agg(format('%s:%s:%s:%s', name, partition_count, unchecked_bytes, keyless),"
                  + " ',') from send_topic where name = 'altered'"))
          .isEqualTo("altered:2:1048508:f");
      // A refresh of every topic from topic and cluster_config changes nothing the triggers kept
      try (Connection c = broker.sql();
          Statement st = c.createStatement()) {
        c.setAutoCommit(false);
        st.execute("create temp table kept as table rowstream.send_topic");
        st.execute("select rowstream.send_topic_refresh(null)");
        try (ResultSet rs = st.executeQuery(
            "select (select count(*) from rowstream.send_topic), (select count(*) from rowstream.topic),"
                + " (select count(*) from ((table rowstream.send_topic except table kept)"
                + " union all (table kept except table rowstream.send_topic)) d)")) {
          rs.next();
          assertThat(rs.getLong(1)).isEqualTo(rs.getLong(2));
          assertThat(rs.getLong(3)).as("rows a refresh changes").isZero();
        }
        c.rollback();
      }
      http.delete(topics + "/altered").expectStatus(204);
      assertThat(broker.queryLong("select count(*) from send_topic where name = 'altered'"))
          .isZero();
      refused(sender, "select rowstream.send('altered', 'v'::text, key => '\\x01')", "RSS01");
    }
  }

  @Test
  void the_size_sql_checks_is_the_batch_size_of_the_other_doors() throws Exception {
    LogRecord record = new LogRecord(
        "key".getBytes(StandardCharsets.UTF_8),
        new byte[300],
        List.of(
            new LogRecord.Header("trace-id", "t-7".getBytes(StandardCharsets.UTF_8)),
            new LogRecord.Header("é", null)),
        0);
    assertThat(
            broker.queryLong("select rowstream.kafka_record_batch_size(convert_to('key', 'UTF8'),"
                + " convert_to(repeat('x', 300), 'UTF8'), '{\"trace-id\": \"t-7\", \"é\": null}')"))
        .isEqualTo(RecordBatchCodec.batchSizeOf(record));
    assertThat(broker.queryLong("select rowstream.kafka_record_batch_size(null, null, null)"))
        .isEqualTo(RecordBatchCodec.batchSizeOf(new LogRecord(null, null, List.of(), 0)));
    try (Connection c = broker.sql();
        Statement s = c.createStatement()) {
      s.execute("set search_path = public"); // as psql has it: the functions find their own schema
      assertThat(Sql.queryLong(
              c, "select rowstream.kafka_record_batch_size(null, null, '{\"h\": \"v\"}')"))
          .isEqualTo(RecordBatchCodec.batchSizeOf(new LogRecord(
              null,
              null,
              List.of(new LogRecord.Header("h", "v".getBytes(StandardCharsets.UTF_8))),
              0)));
    }
  }

  /**
   * send runs as its owner without a pinned search_path (pinning one costs each call about a
   * sixth of its cost), so nothing it calls may be found through the caller's: a sender whose
   * search_path puts its own functions and operators before pg_catalog, each shadowing one that
   * send or murmur2 uses with exactly the argument types they use, gets none of them run.
   */
  @Test
  void a_sender_s_search_path_runs_none_of_its_functions_inside_send() throws Exception {
    // A cluster default for send's lookup to aggregate (Kafka's own value: nothing changes)
    http.setClusterDefault("message.max.bytes", "1048588");
    try (Connection c = broker.sql();
        Statement s = c.createStatement()) {
      // The nodes were polling a moment ago: the first send below checks the heat and notifies.
      s.execute("insert into rowstream.send_heat (hot_until) values (now() - interval '1 hour')"
          + " on conflict (singleton) do update set hot_until = excluded.hot_until");
      s.execute("drop schema if exists sql_send_trap cascade");
      s.execute("drop role if exists sql_send_trapper");
      s.execute("create role sql_send_trapper nologin");
      s.execute("grant rowstream_sender to sql_send_trapper");
      s.execute("create schema sql_send_trap authorization sql_send_trapper");
      s.execute("set role sql_send_trapper");
      s.execute("create table sql_send_trap.ran (who text, what text)");
      String[][] traps = {
        {"now", "", "timestamptz", "pg_catalog.now()"},
        {"txid_current", "", "bigint", "pg_catalog.txid_current()"},
        {"octet_length", "b bytea", "integer", "pg_catalog.octet_length(b)"},
        {"length", "b bytea", "integer", "pg_catalog.length(b)"},
        {"get_byte", "b bytea, i integer", "integer", "pg_catalog.get_byte(b, i)"},
        {"current_setting", "n text, m boolean", "text", "pg_catalog.current_setting(n, m)"},
        {"floor", "n numeric", "numeric", "pg_catalog.floor(n)"},
        {"convert_to", "t text, e name", "bytea", "pg_catalog.convert_to(t, e)"},
        {"text_eq", "a text, b text", "boolean", "a operator(pg_catalog.=) b"},
        {"text_like", "a text, b text", "boolean", "a operator(pg_catalog.~~) b"},
        {"text_ne", "a text, b text", "boolean", "a operator(pg_catalog.<>) b"},
        {"bigint_mod_int", "a bigint, b integer", "bigint", "a operator(pg_catalog.%) b::bigint"},
        {"int_plus", "a integer, b integer", "integer", "a operator(pg_catalog.+) b"},
        {"int_lt", "a integer, b integer", "boolean", "a operator(pg_catalog.<) b"},
        {"bigint_and", "a bigint, b bigint", "bigint", "a operator(pg_catalog.&) b"},
        {"bigint_xor", "a bigint, b bigint", "bigint", "a operator(pg_catalog.#) b"},
        {"jsonb_field", "a jsonb, b text", "text", "a operator(pg_catalog.->>) b"},
        {"set_config", "n text, v text, l boolean", "text", "pg_catalog.set_config(n, v, l)"},
        {"pg_notify", "c text, p text", "void", "pg_catalog.pg_notify(c, p)"},
        {"timestamptz_gt", "a timestamptz, b timestamptz", "boolean", "a operator(pg_catalog.>) b"},
        {
          "text_max",
          "a text, b text",
          "text",
          "case when a is null or b operator(pg_catalog.>) a then b else a end"
        },
      };
      for (String[] t : traps) {
        s.execute("create function sql_send_trap." + t[0] + "(" + t[1] + ") returns " + t[2]
            + " language plpgsql as $$ begin insert into sql_send_trap.ran values (current_user, '"
            + t[0] + "'); "
            + (t[2].equals("void") ? "perform " + t[3] + "; return" : "return " + t[3])
            + "; end $$");
      }
      String[][] operators = {
        {"=", "text", "text", "text_eq"},
        {"~~", "text", "text", "text_like"},
        {"<>", "text", "text", "text_ne"},
        {"%", "bigint", "integer", "bigint_mod_int"},
        {"+", "integer", "integer", "int_plus"},
        {"<", "integer", "integer", "int_lt"},
        {"&", "bigint", "bigint", "bigint_and"},
        {"#", "bigint", "bigint", "bigint_xor"},
        {"->>", "jsonb", "text", "jsonb_field"},
        {">", "timestamptz", "timestamptz", "timestamptz_gt"},
      };
      for (String[] o : operators) {
        s.execute("create operator sql_send_trap." + o[0] + " (leftarg = " + o[1] + ", rightarg = "
            + o[2] + ", function = sql_send_trap." + o[3] + ")");
      }
      // and an aggregate: max(text), with the trap above as its step
      s.execute("create aggregate sql_send_trap.max(text) (sfunc = sql_send_trap.text_max,"
          + " stype = text)");
      s.execute("set search_path = sql_send_trap, pg_catalog");
      // The traps work: the caller's own query runs them.
      s.execute("select 'a' = 'a', now(), octet_length('\\x00'::bytea)");
      assertThat(broker.queryLong("select count(*) from sql_send_trap.ran")).isEqualTo(3);
      s.execute("delete from sql_send_trap.ran");

      s.execute("select rowstream.send('orders', 'unkeyed'::text)");
      s.execute("select rowstream.send('orders', '\\x6b'::bytea, '\\x63372d37'::bytea)");
      s.execute("select rowstream.send('orders', '{\"a\": 1}'::jsonb, partition => 2)");
      s.execute(
          "select rowstream.send('orders', 'with headers'::text, headers => '{\"h\": \"v\"}')");
      assertThat(broker.queryLong("select count(*) from sql_send_trap.ran")).isZero();

      s.execute("reset role");
      s.execute("reset search_path");
      s.execute("drop schema sql_send_trap cascade");
      s.execute("drop role sql_send_trapper");
    } finally {
      http.resetClusterDefault("message.max.bytes");
    }
    Await.until("the trapper's sends are moved", LIMIT, () -> pending() == 0);
  }

  @Test
  void only_a_role_granted_rowstream_sender_may_send() throws Exception {
    try (Connection c = broker.sql();
        Statement s = c.createStatement()) {
      s.execute("drop role if exists sql_send_app");
      s.execute("drop role if exists sql_send_other");
      s.execute("create role sql_send_app nologin");
      s.execute("create role sql_send_other nologin");
      s.execute("grant rowstream_sender to sql_send_app");
      s.execute("set role sql_send_other");
      assertThatThrownBy(
              () -> s.execute("select rowstream.send('orders', 'v'::text, partition => 0)"))
          .isInstanceOfSatisfying(
              PSQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
      s.execute("reset role");
      s.execute("set role sql_send_app");
      s.execute("select rowstream.send('orders', 'v'::text, partition => 0)");
      s.execute("select rowstream.send('orders', convert_to('v', 'UTF8'), partition => 0)");
      s.execute("select rowstream.send('orders', '{}'::jsonb, partition => 0)");
      assertThatThrownBy(() -> s.execute("select count(*) from rowstream.sent_record"))
          .isInstanceOfSatisfying(
              PSQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
      s.execute("reset role");
      s.execute("drop role sql_send_app");
      s.execute("drop role sql_send_other");
    }
    Await.until("the granted role's sends are moved", LIMIT, () -> pending() == 0);
  }

  @Test
  void the_backlog_shows_in_the_view_and_the_metrics_until_it_is_moved() throws Exception {
    long start = logEnd("orders", 1);
    try (Connection holder = broker.sql()) {
      // The mover takes the partition row's lock before it moves: holding it keeps the records
      // waiting.
      holder.setAutoCommit(false);
      try (Statement s = holder.createStatement()) {
        s.execute("select 1 from topic_partition p join topic t using (topic_id)"
            + " where t.name = 'orders' and p.partition_id = 1 for update of p");
      }
      try (Connection c = broker.sql()) {
        c.setAutoCommit(false);
        Sql.execute(c, "select rowstream.send('orders', 'a'::text, partition => 1)");
        Sql.execute(c, "select rowstream.send('orders', 'b'::text, partition => 1)");
        c.commit();
      }
      assertThat(broker.queryLong("select pending_records from sent_record_overview"
              + " where topic = 'orders' and partition = 1"))
          .isEqualTo(2);
      assertThat(
              broker.queryText("select (oldest_age_seconds >= 0 and oldest_sent_at <= now())::text"
                  + " from sent_record_overview where topic = 'orders' and partition = 1"))
          .isEqualTo("true");
      Await.until("/metrics shows two pending records of orders/1", LIMIT, () -> {
        String metrics = http.get("/metrics").body();
        return metrics.contains(
                "rowstream_sent_records_pending{partition=\"1\",topic=\"orders\"} 2.0")
            && metrics.contains(
                "rowstream_sent_records_oldest_age_seconds{partition=\"1\",topic=\"orders\"}");
      });
      holder.rollback();
    }
    Await.until("the two records are moved", LIMIT, () -> logEnd("orders", 1) == start + 2);
    assertThat(broker.queryLong("select count(*) from sent_record_overview")).isZero();
    Await.until(
        "/metrics no longer shows them",
        LIMIT,
        () -> !http.get("/metrics")
            .body()
            .contains("rowstream_sent_records_pending{partition=\"1\",topic=\"orders\"}"));
  }

  private static void refused(String sql, String sqlState) throws SQLException {
    try (Connection c = broker.sql()) {
      refused(c, sql, sqlState);
    }
  }

  private static void refused(Connection c, String sql, String sqlState) throws SQLException {
    Sql.refusedAndRolledBack(c, sql, sqlState);
    assertThat(pending()).as("nothing stored by " + sql).isZero();
  }
}
