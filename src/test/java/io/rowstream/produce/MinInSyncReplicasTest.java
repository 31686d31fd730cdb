package io.rowstream.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** min.insync.replicas counts the PostgreSQL primary and the synchronous standbys a commit waits for. */
class MinInSyncReplicasTest {
  static TestBroker broker;
  static final String RECORD = TestHttp.json(Map.of("records", List.of(Map.of("value", "aGk="))));

  @BeforeAll
  static void start() {
    broker = TestBroker.start("min_isr");
    broker
        .node(0)
        .services()
        .topics()
        .create("two-copies", 1, 1, Map.of("min.insync.replicas", "2"));
    broker.node(0).services().topics().create("one-copy", 1, 1, Map.of());
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void acks_all_is_refused_while_a_commit_reaches_fewer_copies_than_min_insync_replicas() {
    var r = broker.http().post("/topics/two-copies/partitions/0?acks=all", TestHttp.BINARY, RECORD);
    TestHttp.assertError(r, 503, 50302);
    assertThat(r.json().get("message").asText())
        .contains("min.insync.replicas=2")
        .contains("1 copy");
    assertThat(broker.queryLong(
            "select log_end_offset from topic_partition p join topic t using (topic_id)"
                + " where t.name = 'two-copies'"))
        .isZero();
  }

  @Test
  void acks_1_and_a_topic_asking_for_one_copy_are_appended() {
    assertThat(broker
            .http()
            .post("/topics/two-copies/partitions/0?acks=1", TestHttp.BINARY, RECORD)
            .status())
        .isEqualTo(200);
    assertThat(broker
            .http()
            .post("/topics/one-copy/partitions/0", TestHttp.BINARY, RECORD)
            .status())
        .isEqualTo(200);
  }
}
