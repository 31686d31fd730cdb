package io.rowstream.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.Await;
import io.rowstream.support.OlderSchema;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestPostgres;
import io.rowstream.support.TestPostgres.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A database from before V32, whose partitions each have an empty active segment with a table of
 * its own (as topic creation made them), keeps working once migrated: V32 removes the empty
 * segments, log maintenance drops their tables, a written segment stays, and an emptied partition
 * takes records again, its first append opening a new segment at its log end.
 */
class EmptySegmentsMigrationTest {

  @Test
  void v32_removes_empty_segments_and_their_tables_go_while_the_log_keeps_working()
      throws Exception {
    TestDatabase existing = TestPostgres.server().newDatabase("empty_segments_migration");
    OlderSchema.migrateTo(existing, 31);
    long topicId;
    try (Connection c = existing.connect();
        var s = c.createStatement()) {
      // What topic creation did before V32: partition rows, each with an empty segment and table.
      var rs =
          s.executeQuery("insert into topic (name, partition_count, replication_factor, configs)"
              + " values ('before-v32', 3, 1, '{}') returning topic_id");
      rs.next();
      topicId = rs.getLong(1);
      s.execute("insert into topic_partition (topic_id, partition_id) select " + topicId
          + ", p from generate_series(0, 2) p");
      s.execute("select open_segment(" + topicId + ", p, 0) from generate_series(0, 2) p");
    }
    assertThat(storageTables(existing)).isEqualTo(3);

    Migrations.apply(OlderSchema.dataSource(existing));
    assertThat(existing.queryLong("select count(*) from segment where topic_id = " + topicId))
        .as("the empty segments are gone")
        .isZero();

    try (TestBroker broker =
        TestBroker.startOn(existing, c -> c.withLogMaintenanceIntervalMs(50))) {
      TestHttp http = broker.http();
      Await.until(
          "maintenance drops the tables no segment points to",
          Duration.ofSeconds(20),
          () -> storageTables(existing) == 0
              && existing.queryLong("select count(*) from chunk_storage") == 0);
      var produced = http.post(
          "/topics/before-v32/partitions/1",
          TestHttp.BINARY,
          TestHttp.json(Map.of("records", List.of(Map.of("value", "aGk=")))));
      assertThat(produced.status()).as(produced.body()).isEqualTo(200);
      assertThat(produced.json().get("offsets").get(0).get("offset").asLong()).isZero();
      assertThat(http.get(
                  "/topics/before-v32/partitions/1/records?offset=0", "Accept", TestHttp.BINARY)
              .json())
          .hasSize(1);
      assertThat(storageTables(existing)).as("the first append's table").isEqualTo(1);
    }
  }

  private static long storageTables(TestDatabase db) {
    return db.queryLong("select count(*) from pg_tables where schemaname = 'rowstream_chunks'");
  }
}
