package io.rowstream.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.db.AdvisoryLocks;
import io.rowstream.db.Database;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The storage dropper against storages other sessions hold: a storage another session works on
 * (its advisory lock held), or whose table a statement has locked past {@link
 * StorageDropper#LOCK_TIMEOUT}, is left for the next call, which drops it once free. The node's
 * own maintenance never runs here, so only the test's calls drop anything.
 */
class StorageDropperTest {
  static TestBroker broker;
  static StorageDropper dropper;

  @BeforeAll
  static void start() {
    broker =
        TestBroker.start("storage-dropper", c -> c.withLogMaintenanceIntervalMs(Integer.MAX_VALUE));
    TestHttp http = broker.http();
    var created = http.post(
        "/v3/clusters/" + http.clusterId() + "/topics",
        "application/json",
        TestHttp.json(
            Map.of("topic_name", "dropped", "partitions_count", 1, "configs", List.of())));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    Database database = broker.node(0).database();
    dropper = new StorageDropper(database, new SegmentStore(database.dsl()));
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void a_storage_another_session_works_on_is_left_to_the_next_call() throws Exception {
    long storage = unreferencedStorage();
    long free = unreferencedStorage();
    try (Connection other = broker.sql()) {
      storageLock(other, "pg_advisory_lock", storage);
      assertThat(dropper.dropUnreferenced()).as("only the free storage dropped").isEqualTo(1);
      assertThat(tableExists(storage)).isTrue();
      assertThat(tableExists(free)).isFalse();
      storageLock(other, "pg_advisory_unlock", storage);
    }
    assertThat(dropper.dropUnreferenced()).isEqualTo(1);
    assertThat(tableExists(storage)).isFalse();
    assertThat(storageRows(storage)).as("the storage row goes with its table").isZero();
  }

  @Test
  void a_table_locked_past_the_lock_timeout_is_left_attached_and_dropped_by_the_next_call()
      throws Exception {
    long storage = unreferencedStorage();
    long free = unreferencedStorage();
    try (Connection reader = broker.sql()) {
      reader.setAutoCommit(false);
      try (Statement s = reader.createStatement()) {
        s.execute("lock table rowstream_chunks.s" + storage + " in access exclusive mode");
      }
      assertThat(dropper.dropUnreferenced())
          .as("the detach gives up after the lock timeout, and the call goes on to the next")
          .isEqualTo(1);
      assertThat(tableExists(storage)).isTrue();
      assertThat(tableExists(free)).isFalse();
      reader.rollback();
    }
    assertThat(dropper.dropUnreferenced()).isEqualTo(1);
    assertThat(tableExists(storage)).isFalse();
    assertThat(storageRows(storage)).isZero();
  }

  /** A storage with its table attached to chunk that no segment points to (as compaction leaves). */
  private static long unreferencedStorage() {
    long topicId = broker.queryLong("select topic_id from topic where name = 'dropped'");
    return broker.queryLong("select create_chunk_storage(" + topicId + ", 0, 1000000)");
  }

  private static boolean tableExists(long storage) {
    return broker.queryLong("select count(*) from pg_tables where schemaname = 'rowstream_chunks'"
            + " and tablename = 's" + storage + "'")
        == 1;
  }

  private static long storageRows(long storage) {
    return broker.queryLong("select count(*) from chunk_storage where storage_id = " + storage);
  }

  private static void storageLock(Connection c, String function, long storage) throws Exception {
    try (PreparedStatement ps = c.prepareStatement("select " + function + "(?, ?)")) {
      ps.setInt(1, AdvisoryLocks.STORAGE_CLASS);
      ps.setInt(2, (int) storage);
      ps.executeQuery().close();
    }
  }
}
