package io.rowstream.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.db.Database;
import io.rowstream.db.Transactions;
import io.rowstream.log.LogRecord;
import io.rowstream.support.TestBroker;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a move takes of a partition's sent rows, and when a slot is emptied, with no node running
 * (the test is the only mover): a large sender transaction a piece at a time, each piece within
 * its bounds; batches by snapshot, so a transaction that commits late comes after the ones moved
 * before it and nothing is taken twice; a slot emptied only once all of its rows were moved and
 * no one writes in it.
 */
class SentRecordTakeTest {
  private static final int RECORDS = 1200;
  private static final int VALUE_BYTES = 20_000; // 1200 x 20 kB: three pieces by bytes
  private static TestBroker broker;
  private static Database database;
  private static Transactions transactions;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("sent_record_take");
    broker.http().createTopic("big", 1);
    broker.http().createTopic("batches", 1);
    broker.http().createTopic("slots", 1);
    broker.http().createTopic("spread", 3);
    broker.stopNode(0); // no mover: the test takes
    database = Database.connect(
        broker.database().url(),
        broker.database().user(),
        broker.database().password(),
        2,
        "sent-record-take-test");
    transactions = new Transactions(database);
  }

  @AfterAll
  static void stop() {
    database.close();
    broker.close();
  }

  private static final class RolledBack extends RuntimeException {
    RolledBack() {
      super("rolled back on purpose", null, false, false);
    }
  }

  @BeforeEach
  void clean() {
    broker.execute("truncate rowstream.sent_record");
    broker.execute("delete from rowstream.sent_progress");
  }

  @Test
  void a_large_sender_transaction_is_taken_in_bounded_pieces_in_call_order() {
    long topicId = topicId("big");
    broker.execute("select rowstream.send('big', convert_to(i || ':' || repeat('x', " + VALUE_BYTES
        + "), 'UTF8')) from generate_series(1, " + RECORDS + ") i");
    List<Integer> pieceSizes = new ArrayList<>();
    List<Long> pieceBytes = new ArrayList<>();
    List<Integer> order = new ArrayList<>();
    assertThatThrownBy(() -> transactions.run(tx -> {
          SentRecordTake take =
              SentRecordTake.alone(topicId, 0, SentRecordMover.TAKE, SentRecordTake.PIECE_ROWS);
          for (List<LogRecord> piece = take.apply(tx); !piece.isEmpty(); piece = take.apply(tx)) {
            pieceSizes.add(piece.size());
            pieceBytes.add(piece.stream().mapToLong(r -> r.value().length).sum());
            order.addAll(numbers(piece));
          }
          assertThat(tx.dsl().fetchValue("select count(*) from sent_record_overview"))
              .as("the take recorded every row as moved")
              .isEqualTo(0L);
          throw new RolledBack();
        }))
        .isInstanceOf(RolledBack.class);
    assertThat(pieceSizes)
        .hasSizeGreaterThan(2)
        .allSatisfy(n -> assertThat(n).isBetween(1, SentRecordTake.PIECE_ROWS));
    assertThat(pieceBytes)
        .allSatisfy(b -> assertThat(b).isLessThanOrEqualTo(SentRecordTake.PIECE_BYTES));
    assertThat(order).hasSize(RECORDS).isSorted();
    assertThat(order.getFirst()).isOne();
  }

  @Test
  void a_batch_moves_in_several_takes_and_a_transaction_that_commits_late_comes_after_it()
      throws SQLException {
    long topicId = topicId("batches");
    try (Connection late = broker.sql()) {
      late.setAutoCommit(false);
      send(late, 1); // takes its transaction id first, commits last
      try (Connection c = broker.sql()) {
        send(c, 2, 3);
        send(c, 4, 5);
        send(c, 6, 7);
      }
      // At least 3 rows a take, whole transactions: 2-3 and 4-5; then the rest of that batch.
      assertThat(take(topicId, 3)).containsExactly(2, 3, 4, 5);
      assertThat(waiting()).as("the rest of the batch").isEqualTo(2);
      late.commit();
      assertThat(waiting())
          .as("and the late one, before the batch's last moved")
          .isEqualTo(3);
      assertThat(take(topicId, 3))
          .as("the batch's snapshot did not see the late transaction")
          .containsExactly(6, 7);
    }
    assertThat(waiting()).isEqualTo(1);
    assertThat(take(topicId, 3)).as("the next batch").containsExactly(1);
    assertThat(take(topicId, 3)).as("nothing is taken twice").isEmpty();
    assertThat(broker.queryLong("select count(*) from sent_record_overview")).isZero();
  }

  @Test
  void
      a_topics_partitions_move_in_one_transaction_each_in_order_the_first_pieces_sharing_the_bytes() {
    long topicId = topicId("spread");
    // Partition 0: 600 rows of 20 kB (12 MB, over what the first pieces may hold together);
    // partitions 1 and 2: a few small rows each.
    broker.execute("select rowstream.send('spread', convert_to(i || ':' || repeat('x', 20000),"
        + " 'UTF8'), partition => 0) from generate_series(1, 600) i");
    broker.execute("select rowstream.send('spread', convert_to(i::text, 'UTF8'), partition => 1)"
        + " from generate_series(1, 3) i");
    broker.execute("select rowstream.send('spread', convert_to(i::text, 'UTF8'), partition => 2)"
        + " from generate_series(1, 2) i");
    SentRecordTakes move = new SentRecordTakes(
        topicId, new java.util.TreeSet<>(List.of(0, 1, 2)), 1000, SentRecordTake.PIECE_ROWS);
    java.util.Map<Integer, List<Integer>> taken = new java.util.TreeMap<>();
    List<Long> firstPieceBytes = new ArrayList<>();
    transactions.run(tx -> move.byPartition().forEach((partition, take) -> {
      List<Integer> numbers = new ArrayList<>();
      boolean first = true;
      for (List<LogRecord> piece = take.apply(tx); !piece.isEmpty(); piece = take.apply(tx)) {
        if (first) {
          firstPieceBytes.add(piece.stream().mapToLong(r -> r.value().length).sum());
          first = false;
        }
        numbers.addAll(numbers(piece));
      }
      taken.put(partition, numbers);
    }));
    assertThat(taken.get(0)).hasSize(600).isSorted();
    assertThat(taken.get(1)).containsExactly(1, 2, 3);
    assertThat(taken.get(2)).containsExactly(1, 2);
    assertThat(firstPieceBytes.stream().mapToLong(Long::longValue).sum())
        .isLessThanOrEqualTo(SentRecordTake.PIECE_BYTES);
    assertThat(broker.queryLong("select count(*) from sent_record_overview where topic = 'spread'"))
        .as("all three recorded as moved")
        .isZero();
  }

  @Test
  void a_slot_is_emptied_only_when_all_of_its_rows_were_moved_and_no_one_writes_in_it()
      throws SQLException {
    long topicId = topicId("slots");
    SentRecordSlots slots = new SentRecordSlots(transactions);
    int slot = (int) broker.queryLong("select (sent_record_slot(now()) + 1) % 3");
    insert(slot, topicId, "8");
    assertThat(slots.empty(slot)).as("a row waits to be moved").isFalse();
    assertThat(rowsIn(slot)).isOne();

    assertThat(take(topicId, 500)).containsExactly(8);
    try (Connection writer = broker.sql()) {
      writer.setAutoCommit(false);
      insert(writer, slot, topicId, "9");
      assertThat(slots.empty(slot)).as("a sender writes in the slot").isFalse();
      writer.commit();
    }
    assertThat(slots.empty(slot)).as("its row is not moved yet").isFalse();
    assertThat(take(topicId, 500)).containsExactly(9);
    assertThat(slots.empty(slot)).isTrue();
    assertThat(rowsIn(slot)).isZero();
    assertThat(slots.empty(slot)).as("an empty slot").isFalse();
  }

  /** One take of at least {@code rows} rows, in a transaction committed (its progress kept). */
  private static List<Integer> take(long topicId, int rows) {
    return transactions.result(tx -> {
      SentRecordTake take = SentRecordTake.alone(topicId, 0, rows, 2);
      List<Integer> taken = new ArrayList<>();
      for (List<LogRecord> piece = take.apply(tx); !piece.isEmpty(); piece = take.apply(tx)) {
        taken.addAll(numbers(piece));
      }
      return taken;
    });
  }

  /**
   * Sends the numbers as records to partition 0 of 'batches' in one transaction of {@code c}:
   * committed when {@code c} autocommits, else left open.
   */
  private static void send(Connection c, int... numbers) throws SQLException {
    boolean commit = c.getAutoCommit();
    c.setAutoCommit(false);
    try (var s = c.createStatement()) {
      for (int n : numbers) {
        s.execute("select rowstream.send('batches', '" + n + "'::text, partition => 0)");
      }
    }
    if (commit) {
      c.commit();
      c.setAutoCommit(true);
    }
  }

  private static void insert(int slot, long topicId, String value) throws SQLException {
    try (Connection c = broker.sql()) {
      insert(c, slot, topicId, value);
    }
  }

  /** A row written into a given slot, as send writes into the current one. */
  private static void insert(Connection c, int slot, long topicId, String value)
      throws SQLException {
    try (var s = c.createStatement()) {
      s.execute("insert into sent_record (slot, topic_id, partition_id, value) values (" + slot
          + ", " + topicId + ", 0, convert_to('" + value + "', 'UTF8'))");
    }
  }

  /** Records of 'batches' that sent_record_overview shows waiting. */
  private static long waiting() {
    return broker.queryLong("select coalesce(sum(pending_records), 0) from sent_record_overview"
        + " where topic = 'batches'");
  }

  private static long rowsIn(int slot) {
    return broker.queryLong("select count(*) from sent_record_" + slot);
  }

  private static long topicId(String name) {
    return broker.queryLong("select topic_id from topic where name = '" + name + "'");
  }

  private static List<Integer> numbers(List<LogRecord> records) {
    List<Integer> numbers = new ArrayList<>();
    for (LogRecord r : records) {
      String value = new String(r.value(), StandardCharsets.UTF_8);
      int colon = value.indexOf(':');
      numbers.add(Integer.parseInt(colon < 0 ? value : value.substring(0, colon)));
    }
    return numbers;
  }
}
