package io.rowstream.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.config.ClusterTimings;
import io.rowstream.db.AdvisoryLocks;
import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.log.ChunkStore;
import io.rowstream.log.EncodedChunk;
import io.rowstream.log.LeaderEpochs;
import io.rowstream.log.LogRecord;
import io.rowstream.log.PartitionAppender;
import io.rowstream.log.PartitionKey;
import io.rowstream.support.Await;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.topic.Topic;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Appends carry the leader epoch and are refused when it is stale; followers forward to the leader. */
@Tag("slow")
class FencingAndForwardingTest {
  static final ClusterTimings FAST = ClusterTimings.ofMillis(1_500, 300, 50);
  static final Duration SETTLE = Duration.ofSeconds(15);

  TestBroker broker;
  Topic topic;

  @BeforeEach
  void start() {
    broker = TestBroker.start("fencing", c -> c.withClusterTimings(FAST));
    broker.startNode();
    broker.startNode();
    topic = broker.node(0).services().topics().create("fenced", 3, 3, Map.of());
    // Settled: the controller has seen all three nodes live (replica states recorded, one leader
    // each), and every node knows where the others listen.
    Await.until(
        "each node leads one partition, as the controller recorded",
        SETTLE,
        () -> broker.queryLong("select count(distinct leader_node_id) from topic_partition") == 3
            && broker.queryLong("select count(*) from replica_state where state = 'leader'") == 3
            && broker.queryLong("select count(*) from replica_state where state = 'follower'")
                == 6);
    Await.until(
        "every node knows every node's URL",
        SETTLE,
        () -> java.util.stream.IntStream.range(0, 3)
            .allMatch(i -> java.util.stream.IntStream.rangeClosed(1, 3)
                .allMatch(id -> broker.node(i).services().leaderView().urlOf(id).isPresent())));
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  @Test
  void a_leader_paused_past_its_lease_cannot_append_once_another_node_took_over() {
    zombieIsRefused(leader -> broker.node(leader - 1).cluster().suspend(true));
  }

  @Test
  void a_leader_whose_lock_connection_was_terminated_cannot_append_once_another_node_took_over() {
    zombieIsRefused(leader -> {
      broker
          .node(leader - 1)
          .cluster()
          .suspend(true); // keeps its stale view: it does not reconnect
      broker.queryLong(
          "select count(pg_terminate_backend(pid)) from pg_locks where locktype = 'advisory'"
              + " and classid::bigint = " + AdvisoryLocks.NODE_CLASS + " and objid = " + leader
              + " and objsubid = 2"
              + " and database = (select oid from pg_database where datname = current_database())");
    });
  }

  private void zombieIsRefused(java.util.function.IntConsumer makeZombie) {
    int leader =
        (int) broker.queryLong("select leader_node_id from topic_partition where partition_id = 0");
    int staleEpoch =
        (int) broker.queryLong("select leader_epoch from topic_partition where partition_id = 0");
    var zombie = broker.node(leader - 1);
    long endBefore =
        broker.queryLong("select log_end_offset from topic_partition where partition_id = 0");

    makeZombie.accept(leader);
    Await.until(
        "another node leads partition 0",
        SETTLE,
        () -> broker.queryLong("select leader_node_id from topic_partition where partition_id = 0")
            != leader);

    PartitionAppender stale = new PartitionAppender(
        new ChunkStore(zombie.database()), Clock.systemUTC(), new LeaderEpochs() {
          @Override
          public Integer epoch(PartitionKey key) {
            return staleEpoch;
          }

          @Override
          public void stale(PartitionKey key) {}
        });
    EncodedChunk chunk = EncodedChunk.encode(
        List.of(new LogRecord(null, "zombie".getBytes(), List.of(), 1L)), false, 0);
    assertThatThrownBy(() -> stale.appendChunks(topic, 0, List.of(chunk), 1L))
        .isInstanceOf(BrokerException.class)
        .extracting(e -> ((BrokerException) e).error())
        .isEqualTo(BrokerError.FENCED_LEADER_EPOCH);
    assertThat(
            broker.queryLong("select log_end_offset from topic_partition where partition_id = 0"))
        .isEqualTo(endBefore);
    assertThat(broker.queryLong("select count(*) from chunk where partition_id = 0"))
        .isEqualTo(endBefore);

    // Through HTTP the zombie's own stale append is refused too; it re-reads the epoch and the
    // record reaches the log once, under the new leadership.
    var r = broker
        .http(leader - 1)
        .post(
            "/topics/fenced/partitions/0",
            TestHttp.BINARY,
            TestHttp.json(Map.of("records", List.of(Map.of("value", "aGk=")))));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("offsets").get(0).get("offset").asLong()).isEqualTo(endBefore);
    assertThat(
            broker.queryLong("select log_end_offset from topic_partition where partition_id = 0"))
        .isEqualTo(endBefore + 1);
  }

  @Test
  void a_produce_to_a_follower_is_appended_by_the_leader() {
    int leader =
        (int) broker.queryLong("select leader_node_id from topic_partition where partition_id = 1");
    int follower = leader % 3 + 1;
    var before = broker.node(leader - 1).services().produce().forwardingCounts();

    for (int i = 0; i < 5; i++) {
      var r = broker
          .http(follower - 1)
          .post(
              "/topics/fenced/partitions/1",
              TestHttp.BINARY,
              TestHttp.json(
                  Map.of("records", List.of(Map.of("value", "aGk="), Map.of("value", "aG8=")))));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.json().get("offsets").get(1).get("offset").asLong()).isEqualTo(2L * i + 1);
    }

    assertThat(broker.node(leader - 1).services().produce().forwardingCounts().forwardedIn())
        .isEqualTo(before.forwardedIn() + 5);
    assertThat(broker.node(follower - 1).services().produce().forwardingCounts().forwardedOut())
        .isEqualTo(5);
    var read = broker
        .http(follower - 1)
        .get("/topics/fenced/partitions/1/records?offset=0", "Accept", TestHttp.BINARY);
    assertThat(read.json()).hasSize(10);
  }

  @Test
  void a_follower_appends_itself_when_the_leader_cannot_be_reached() throws Exception {
    int leader =
        (int) broker.queryLong("select leader_node_id from topic_partition where partition_id = 2");
    int follower = leader % 3 + 1;
    try (var c = broker.sql();
        var s = c.createStatement()) {
      s.executeUpdate(
          "update broker set advertised_url = 'http://127.0.0.1:9' where node_id = " + leader);
    }
    broker.node(follower - 1).services().leaderView().stale(new PartitionKey(topic.id(), 2));

    var r = broker
        .http(follower - 1)
        .post(
            "/topics/fenced/partitions/2",
            TestHttp.BINARY,
            TestHttp.json(Map.of("records", List.of(Map.of("value", "aGk=")))));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(broker.node(follower - 1).services().produce().forwardingCounts().fallbacks())
        .isEqualTo(1);
    assertThat(
            broker.queryLong("select log_end_offset from topic_partition where partition_id = 2"))
        .isEqualTo(1);
  }
}
