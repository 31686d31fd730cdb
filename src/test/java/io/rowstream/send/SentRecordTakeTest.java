package io.rowstream.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.db.Transactions;
import io.rowstream.log.LogRecord;
import io.rowstream.support.TestBroker;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A move takes a large sender transaction a piece at a time: each piece within its row and byte
 * bounds, in call order, the whole transaction in the end. Runs in a transaction of its own that
 * sends the rows itself (invisible to the node's mover until a commit that never comes).
 */
class SentRecordTakeTest {
  private static final int RECORDS = 1200;
  private static final int VALUE_BYTES = 20_000; // 1200 x 20 kB: three pieces by bytes
  private static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("sent_record_take");
    broker.http().createTopic("big", 1);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static final class RolledBack extends RuntimeException {
    RolledBack() {
      super("rolled back on purpose", null, false, false);
    }
  }

  @Test
  void a_large_sender_transaction_is_taken_in_bounded_pieces_in_call_order() {
    long topicId = broker.queryLong("select topic_id from topic where name = 'big'");
    List<Integer> pieceSizes = new ArrayList<>();
    List<Long> pieceBytes = new ArrayList<>();
    List<Integer> order = new ArrayList<>();
    Transactions transactions = new Transactions(broker.node(0).database());
    assertThatThrownBy(() -> transactions.run(tx -> {
          tx.dsl()
              .execute("select rowstream.send('big', convert_to(i || ':' || repeat('x', "
                  + VALUE_BYTES + "), 'UTF8')) from generate_series(1, " + RECORDS + ") i");
          SentRecordTake take = new SentRecordTake(topicId, 0);
          for (List<LogRecord> piece = take.apply(tx); !piece.isEmpty(); piece = take.apply(tx)) {
            pieceSizes.add(piece.size());
            pieceBytes.add(piece.stream().mapToLong(r -> r.value().length).sum());
            for (LogRecord r : piece) {
              String value = new String(r.value(), StandardCharsets.UTF_8);
              order.add(Integer.parseInt(value.substring(0, value.indexOf(':'))));
            }
          }
          assertThat(tx.dsl().fetchCount(tx.dsl().selectFrom("sent_record"))).isZero();
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
}
