package io.rowstream.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.db.Migrations;
import io.rowstream.support.Await;
import io.rowstream.support.OlderSchema;
import io.rowstream.support.Sql;
import io.rowstream.support.TestPostgres;
import io.rowstream.support.TestPostgres.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/**
 * send_topic, what rowstream.send tests a record against, on a database without nodes: filled for
 * the topics that exist when V37 migrates, and right when a topic is created while the cluster's
 * defaults change, in either order of the two transactions (the triggers' table locks make the
 * later one read after the earlier one committed); read by a plan that suits its size on a new
 * database (V38's statistics), when send does not find a topic compiled; and compiled into
 * send_topic_compiled() (V39) after every change, by writers that take turns, so that a sending
 * session follows a change from its next transaction.
 */
class SendTopicTest {
  private static final Duration LIMIT = Duration.ofSeconds(10);
  private static final String ROW =
      "select unchecked_bytes || ' ' || keyless from send_topic where name = ";

  @Test
  void topics_that_exist_when_v37_migrates_get_their_rows() throws Exception {
    TestDatabase db = TestPostgres.server().newDatabase("send_topic_migration");
    OlderSchema.migrateTo(db, 36);
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute("insert into cluster_config (name, value) values ('message.max.bytes', '5000')");
      s.execute("insert into topic (name, partition_count, configs) values"
          + " ('plain', 3, '{}'), ('own', 1, '{\"max.message.bytes\": \"300\","
          + " \"cleanup.policy\": \"compact,delete\"}')");
    }
    Migrations.apply(OlderSchema.dataSource(db));
    assertThat(text(db, ROW + "'plain'")).isEqualTo("4920 true");
    assertThat(text(db, ROW + "'own'")).isEqualTo("220 false");
    assertThat(db.queryLong("select partition_count from send_topic where name = 'plain'"))
        .isEqualTo(3);
    assertCompiledAsSendTopic(db);
  }

  @Test
  void a_topic_created_while_the_defaults_change_waits_and_takes_the_new_ones() throws Exception {
    TestDatabase db = migrated("send_topic_created_during_change");
    secondWaitsForFirst(
        db,
        "insert into cluster_config (name, value) values ('message.max.bytes', '300')",
        "insert into topic (name, partition_count) values ('created', 1)");
    assertThat(text(db, ROW + "'created'")).isEqualTo("220 true");
  }

  @Test
  void a_change_of_defaults_waits_for_a_topic_being_created_and_covers_it() throws Exception {
    TestDatabase db = migrated("send_topic_change_during_create");
    secondWaitsForFirst(
        db,
        "insert into topic (name, partition_count) values ('creating', 1)",
        "insert into cluster_config (name, value) values ('log.cleanup.policy', 'compact')");
    assertThat(text(db, ROW + "'creating'")).isEqualTo("1048508 false");
  }

  @Test
  void send_finds_a_topic_of_a_new_database_without_a_bitmap_scan() throws Exception {
    TestDatabase db = migrated("send_topic_lookup_plan");
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute("insert into topic (name, partition_count) values ('a', 1), ('b', 8), ('c', 3)");
      // The lookup as send's cached plan has it: generic, the name a parameter.
      s.execute("prepare lookup(text) as select topic_id, partition_count, unchecked_bytes,"
          + " keyless from send_topic t where t.name = $1");
      s.execute("set plan_cache_mode = force_generic_plan");
      StringBuilder plan = new StringBuilder();
      try (var rs = s.executeQuery("explain execute lookup('b')")) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
      // Without statistics the planner guessed ten pages and set up a bitmap in every send.
      assertThat(plan.toString()).doesNotContain("Bitmap").contains("on send_topic");
    }
  }

  @Test
  void the_compiled_topics_follow_every_change_of_send_topic() throws Exception {
    TestDatabase db = migrated("send_topic_compiled_follows");
    assertCompiledAsSendTopic(db);
    assertThat(text(db, "select send_topic_compiled()::text")).isEqualTo("{}");
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute("insert into topic (name, partition_count) values ('a', 1), ('b', 8)");
      assertCompiledAsSendTopic(db);
      s.execute("update topic set partition_count = 3 where name = 'a'");
      assertCompiledAsSendTopic(db);
      s.execute("update topic set configs = '{\"cleanup.policy\": \"compact\"}' where name = 'b'");
      assertCompiledAsSendTopic(db);
      s.execute("insert into cluster_config (name, value) values ('message.max.bytes', '5000')");
      assertCompiledAsSendTopic(db);
      s.execute("delete from topic where name = 'a'");
      assertCompiledAsSendTopic(db);
    }
    assertThat(text(db, "select send_topic_compiled()::text"))
        .isEqualTo("{\"b\": [" + db.queryLong("select topic_id from topic where name = 'b'")
            + ", 8, 4920, false]}");
  }

  @Test
  void a_topic_created_while_another_compiles_waits_and_both_are_compiled() throws Exception {
    TestDatabase db = migrated("send_topic_compiled_in_turn");
    secondWaitsForFirst(
        db,
        "insert into topic (name, partition_count) values ('first', 1)",
        "insert into topic (name, partition_count) values ('second', 2)");
    assertCompiledAsSendTopic(db);
    assertThat(db.queryLong("select count(*) from jsonb_object_keys(send_topic_compiled())"))
        .isEqualTo(2);
  }

  @Test
  void topics_created_on_eight_connections_at_once_are_all_compiled() throws Exception {
    TestDatabase db = migrated("send_topic_compiled_at_once");
    List<CompletableFuture<Void>> creating = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      int connection = i;
      creating.add(CompletableFuture.runAsync(() -> {
        try (Connection c = db.connect();
            Statement s = c.createStatement()) {
          for (int j = 0; j < 5; j++) {
            s.execute("insert into topic (name, partition_count) values ('t-" + connection + "-" + j
                + "', " + (1 + j) + ")");
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    CompletableFuture.allOf(creating.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    assertCompiledAsSendTopic(db);
    assertThat(db.queryLong("select count(*) from jsonb_object_keys(send_topic_compiled())"))
        .isEqualTo(40);
  }

  @Test
  void a_repeatable_read_writer_older_than_another_s_compile_fails_instead_of_losing_it()
      throws Exception {
    TestDatabase db = migrated("send_topic_compiled_repeatable_read");
    try (Connection late = db.connect();
        Statement s = late.createStatement()) {
      late.setAutoCommit(false);
      late.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      s.execute("select count(*) from topic"); // its snapshot: before 'first' exists
      run(db, "insert into topic (name, partition_count) values ('first', 1)")
          .get(10, TimeUnit.SECONDS);
      assertThatThrownBy(
              () -> s.execute("insert into topic (name, partition_count) values ('late', 1)"))
          .isInstanceOfSatisfying(
              PSQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("40001"));
      late.rollback();
    }
    assertCompiledAsSendTopic(db);
    assertThat(
            text(db, "select string_agg(k, ',') from jsonb_object_keys(send_topic_compiled()) k"))
        .isEqualTo("first");
  }

  @Test
  void a_session_sends_by_a_changed_topic_from_its_next_transaction() throws Exception {
    TestDatabase db = migrated("send_topic_compiled_session");
    try (Connection admin = db.connect();
        Statement change = admin.createStatement();
        Connection sender = db.connect();
        Statement send = sender.createStatement()) {
      change.execute("insert into topic (name, partition_count) values ('grows', 1)");
      String keyed = "select rowstream.send('grows', 'v'::text, key => 'k'::bytea)";
      assertThat(Sql.queryLong(sender, keyed)).isZero();
      change.execute("update topic set partition_count = 5 where name = 'grows'");
      assertThat(Sql.queryLong(sender, keyed))
          .isEqualTo(db.queryLong("select kafka_partition_for_key('k'::bytea, 5)"))
          .isNotZero();
      change.execute("insert into topic (name, partition_count) values ('new', 2)");
      assertThat(Sql.queryLong(sender, "select rowstream.send('new', 'v'::text, partition => 1)"))
          .isEqualTo(1);
      change.execute("delete from topic where name = 'grows'");
      assertThatThrownBy(() -> send.execute(keyed))
          .isInstanceOfSatisfying(
              PSQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("RSS01"));
    }
  }

  @Test
  void a_role_that_writes_topics_but_owns_nothing_has_them_compiled() throws Exception {
    TestDatabase db = migrated("send_topic_compiled_by_a_writer");
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute("do $$ begin if not exists (select from pg_roles where rolname = 'topic_writer')"
          + " then create role topic_writer nologin; end if; end $$");
      s.execute("grant usage on schema rowstream to topic_writer");
      // Topics and defaults only: the triggers keep send_topic and its compiled map as the owner.
      s.execute("grant select, insert, update, delete on rowstream.topic, rowstream.cluster_config"
          + " to topic_writer");
      s.execute("grant usage on all sequences in schema rowstream to topic_writer");
      s.execute("set role topic_writer");
      s.execute("insert into rowstream.topic (name, partition_count) values ('by-writer', 2)");
      s.execute("insert into rowstream.cluster_config (name, value)"
          + " values ('message.max.bytes', '5000')");
      s.execute("reset role");
    }
    assertCompiledAsSendTopic(db);
    assertThat(text(db, "select send_topic_compiled() ->> 'by-writer'"))
        .isEqualTo("[" + db.queryLong("select topic_id from topic where name = 'by-writer'")
            + ", 2, 4920, true]");
  }

  private static void assertCompiledAsSendTopic(TestDatabase db) throws Exception {
    String fromTable = "coalesce((select jsonb_object_agg(name, jsonb_build_array(topic_id,"
        + " partition_count, unchecked_bytes, keyless)) from send_topic), '{}')";
    assertThat(db.queryLong("select count(*) from send_topic_compiled where topics = " + fromTable
            + " and topics = send_topic_compiled()"))
        .as("send_topic_compiled's row and function hold send_topic's rows: "
            + text(db, "select send_topic_compiled()::text"))
        .isEqualTo(1);
  }

  private static TestDatabase migrated(String purpose) {
    TestDatabase db = TestPostgres.server().newDatabase(purpose);
    Migrations.apply(OlderSchema.dataSource(db));
    return db;
  }

  /**
   * Runs {@code first} in a transaction left open, then {@code second} on another connection until
   * it waits for a lock the first holds; commits the first and waits for the second to end.
   */
  private static void secondWaitsForFirst(TestDatabase db, String first, String second)
      throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute(first);
      CompletableFuture<Void> waiting = run(db, second);
      awaitWaitingOnLock(db);
      c.commit();
      waiting.get(10, TimeUnit.SECONDS);
    }
  }

  /** Runs one statement in a transaction of its own on another thread. */
  private static CompletableFuture<Void> run(TestDatabase db, String sql) {
    return CompletableFuture.runAsync(() -> {
      try (Connection c = db.connect();
          Statement s = c.createStatement()) {
        s.execute(sql);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static void awaitWaitingOnLock(TestDatabase db) {
    Await.until(
        "the other transaction waits for a lock",
        LIMIT,
        () ->
            db.queryLong("select count(*) from pg_stat_activity where datname = current_database()"
                    + " and wait_event_type = 'Lock'")
                == 1);
  }

  private static String text(TestDatabase db, String sql) throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        var rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
