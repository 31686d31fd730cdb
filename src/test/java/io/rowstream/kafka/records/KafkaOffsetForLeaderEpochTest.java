package io.rowstream.kafka.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OffsetForLeaderEpoch over the Kafka port: each leader epoch ends where the first batch appended
 * under a later epoch begins (the log end for the current one and for an epoch nothing was written
 * after), as Kafka's leader epoch cache answers; the stored batches carry the epoch they were
 * appended under. Epochs are moved as the controller moves them, by bumping the partition row.
 */
class KafkaOffsetForLeaderEpochTest {
  private static final String TOPIC = "epochs";
  private static TestBroker broker;
  private static int first;

  @BeforeAll
  static void start() throws Exception {
    broker = TestBroker.start("kafka-leader-epochs");
    broker.http().createTopic(TOPIC, 1);
    first = epoch();
    produce(); // offset 0
    produce(); // offset 1
    bump();
    produce(); // offset 2, under first + 1
    bump(); // first + 2, nothing written under it
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static int epoch() {
    return (int) broker.queryLong("select p.leader_epoch from rowstream.topic_partition p"
        + " join rowstream.topic t using (topic_id) where t.name = '" + TOPIC + "'");
  }

  private static void bump() throws Exception {
    try (Connection c = broker.sql();
        Statement s = c.createStatement()) {
      s.executeUpdate("update rowstream.topic_partition set leader_epoch = leader_epoch + 1"
          + " where topic_id = (select topic_id from rowstream.topic where name = '" + TOPIC
          + "')");
    }
  }

  private static void produce() {
    broker
        .http()
        .post(
            "/topics/" + TOPIC + "/partitions/0",
            TestHttp.BINARY,
            TestHttp.json(Map.of("records", List.of(Map.of("value", "aGk=")))))
        .expectStatus(200);
  }

  private static EpochEndOffset ask(int leaderEpoch, int currentLeaderEpoch) throws Exception {
    return ask(TOPIC, leaderEpoch, currentLeaderEpoch, -1);
  }

  private static EpochEndOffset ask(
      String topic, int leaderEpoch, int currentLeaderEpoch, int replicaId) throws Exception {
    OffsetForLeaderTopicCollection topics = new OffsetForLeaderTopicCollection();
    topics.add(new OffsetForLeaderTopic()
        .setTopic(topic)
        .setPartitions(List.of(new OffsetForLeaderPartition()
            .setPartition(0)
            .setLeaderEpoch(leaderEpoch)
            .setCurrentLeaderEpoch(currentLeaderEpoch))));
    try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      OffsetsForLeaderEpochResponse r = (OffsetsForLeaderEpochResponse) wire.call(
          ApiKeys.OFFSET_FOR_LEADER_EPOCH,
          ApiKeys.OFFSET_FOR_LEADER_EPOCH.latestVersion(),
          new OffsetForLeaderEpochRequestData().setReplicaId(replicaId).setTopics(topics));
      return r.data().topics().iterator().next().partitions().getFirst();
    }
  }

  @Test
  void each_epoch_ends_where_a_later_epochs_first_batch_begins() throws Exception {
    assertThat(epoch()).isEqualTo(first + 2);
    assertThat(ask(first, -1))
        .extracting(
            EpochEndOffset::errorCode, EpochEndOffset::leaderEpoch, EpochEndOffset::endOffset)
        .containsExactly(Errors.NONE.code(), first, 2L);
    assertThat(ask(first + 1, first + 2))
        .as("nothing was written under the current epoch: the previous one ends at the log end")
        .extracting(EpochEndOffset::leaderEpoch, EpochEndOffset::endOffset)
        .containsExactly(first + 1, 3L);
    assertThat(ask(first + 2, first + 2))
        .as("the current epoch ends at the log end")
        .extracting(EpochEndOffset::leaderEpoch, EpochEndOffset::endOffset)
        .containsExactly(first + 2, 3L);
    assertThat(ask(first - 1, -1))
        .as("an epoch older than every batch ends where the first batch begins")
        .extracting(EpochEndOffset::leaderEpoch, EpochEndOffset::endOffset)
        .containsExactly(first - 1, 0L);
    assertThat(ask(first + 3, -1))
        .as("an epoch not reached yet is unknown")
        .extracting(EpochEndOffset::leaderEpoch, EpochEndOffset::endOffset)
        .containsExactly(-1, -1L);
  }

  @Test
  void a_stale_or_future_current_epoch_an_unknown_topic_and_a_broker_replica_are_refused()
      throws Exception {
    assertThat(ask(first, first + 1).errorCode()).isEqualTo(Errors.FENCED_LEADER_EPOCH.code());
    assertThat(ask(first, first + 3).errorCode()).isEqualTo(Errors.UNKNOWN_LEADER_EPOCH.code());
    assertThat(ask("no-such-topic", first, -1, -1).errorCode())
        .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    assertThat(ask(TOPIC, first, -1, 1).errorCode())
        .isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
  }

  @Test
  void api_versions_advertises_every_version_kafka_clients_parses() throws Exception {
    try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      ApiVersionsResponse r = (ApiVersionsResponse)
          wire.call(ApiKeys.API_VERSIONS, (short) 0, new ApiVersionsRequestData());
      assertThat(r.apiVersion(ApiKeys.OFFSET_FOR_LEADER_EPOCH.id)).satisfies(v -> {
        assertThat(v.minVersion()).isEqualTo(ApiKeys.OFFSET_FOR_LEADER_EPOCH.oldestVersion());
        assertThat(v.maxVersion()).isEqualTo(ApiKeys.OFFSET_FOR_LEADER_EPOCH.latestVersion());
      });
    }
  }
}
