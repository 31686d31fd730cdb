package io.rowstream.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.Await;
import io.rowstream.support.OlderSchema;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestPostgres;
import io.rowstream.support.TestPostgres.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Records sent from SQL and still waiting when a database from before V36 is migrated (rows of the
 * old sent_record, which movers deleted as they moved them) are kept: a node started afterwards
 * moves each of them into the log once, in send order.
 */
class SentRecordSlotsMigrationTest {

  @Test
  void records_waiting_before_v36_are_moved_once_after_it() throws Exception {
    TestDatabase existing = TestPostgres.server().newDatabase("sent_record_slots_migration");
    OlderSchema.migrateTo(existing, 35);
    try (Connection c = existing.connect();
        var s = c.createStatement()) {
      var rs =
          s.executeQuery("insert into topic (name, partition_count, replication_factor, configs)"
              + " values ('before-v36', 1, 1, '{}') returning topic_id");
      rs.next();
      long topicId = rs.getLong(1);
      s.execute("insert into topic_partition (topic_id, partition_id) values (" + topicId + ", 0)");
      // Three sender transactions' rows, as V30's sent_record held them.
      for (int tx = 0; tx < 3; tx++) {
        s.execute("begin");
        s.execute("insert into sent_record (topic_id, partition_id, value) select " + topicId
            + ", 0, convert_to(i::text, 'UTF8') from generate_series(" + (tx * 10 + 1) + ", "
            + (tx * 10 + 10) + ") i order by i");
        s.execute("commit");
      }
    }

    Migrations.apply(OlderSchema.dataSource(existing));
    assertThat(existing.queryLong("select count(*) from sent_record")).isEqualTo(30);

    try (TestBroker broker = TestBroker.startOn(existing, c -> c)) {
      Await.until(
          "the node moves the waiting records",
          Duration.ofSeconds(20),
          () -> existing.queryLong("select log_end_offset from topic_partition") == 30);
      assertThat(existing.queryLong("select count(*) from sent_record_overview"))
          .isZero();
      List<Integer> values = new ArrayList<>();
      try (Connection c = existing.connect();
          var s = c.createStatement();
          var rs = s.executeQuery("select convert_from(value, 'UTF8')::int from"
              + " read_messages('before-v36', 0, 0, 100) order by \"offset\"")) {
        while (rs.next()) {
          values.add(rs.getInt(1));
        }
      }
      assertThat(values).hasSize(30).isSorted().doesNotHaveDuplicates();
    }
  }
}
