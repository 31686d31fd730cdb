package io.rowstream.kafka.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.Await;
import io.rowstream.support.KafkaClients;
import io.rowstream.support.Kcat;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Committed offsets for Kafka clients that assign partitions themselves: a KafkaConsumer with a
 * group.id commits and a new one resumes from the commit; the same rows are seen over HTTP v3, v2
 * and SQL, and the reverse; a commit into a group with live HTTP members is refused as Kafka
 * refuses it.
 */
class KafkaCommittedOffsetsTest {
  private static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("kafka-committed-offsets");
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static void produce(String topic, int partition, int count) {
    try (KafkaProducer<byte[], byte[]> producer =
        KafkaClients.producer(broker.kafkaBootstrap(), Map.of())) {
      for (int i = 0; i < count; i++) {
        producer.send(new ProducerRecord<>(
            topic, partition, null, ("v" + i).getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String group, String reset) {
    return KafkaClients.consumer(
        broker.kafkaBootstrap(),
        Map.of(
            ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, reset));
  }

  private static List<ConsumerRecord<byte[], byte[]>> pollAtLeast(
      KafkaConsumer<byte[], byte[]> consumer, int count) {
    List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
    Await.until("records polled", Duration.ofSeconds(20), () -> {
      consumer.poll(Duration.ofMillis(200)).forEach(got::add);
      return got.size() >= count;
    });
    return got;
  }

  @Test
  void a_new_consumer_of_the_group_reads_the_commit_and_resumes_from_it() {
    String topic = "resume";
    broker.http().createTopic(topic, 2);
    produce(topic, 0, 10);
    TopicPartition p0 = new TopicPartition(topic, 0);
    TopicPartition p1 = new TopicPartition(topic, 1);
    try (KafkaConsumer<byte[], byte[]> first = consumer("resumers", "earliest")) {
      first.assign(List.of(p0, p1));
      assertThat(pollAtLeast(first, 10)).hasSize(10);
      first.commitSync(Map.of(p0, new OffsetAndMetadata(6, "six")));
    }
    // auto.offset.reset=none: without the commit, the position of p0 could not be found
    try (KafkaConsumer<byte[], byte[]> second = consumer("resumers", "none")) {
      Map<TopicPartition, OffsetAndMetadata> committed = second.committed(Set.of(p0, p1));
      assertThat(committed.get(p0).offset()).isEqualTo(6);
      assertThat(committed.get(p0).metadata()).isEqualTo("six");
      assertThat(committed.get(p1)).isNull();
      second.assign(List.of(p0));
      List<ConsumerRecord<byte[], byte[]>> resumed = pollAtLeast(second, 4);
      assertThat(resumed).extracting(ConsumerRecord::offset).containsExactly(6L, 7L, 8L, 9L);
      second.commitSync();
      assertThat(second.committed(Set.of(p0)).get(p0).offset()).isEqualTo(10);
    }
  }

  @Test
  void the_leader_epoch_of_the_last_record_consumed_is_committed_and_read_back() {
    String topic = "epochs";
    broker.http().createTopic(topic, 1);
    produce(topic, 0, 3);
    TopicPartition p0 = new TopicPartition(topic, 0);
    Optional<Integer> epoch;
    try (KafkaConsumer<byte[], byte[]> first = consumer("epoch-keepers", "earliest")) {
      first.assign(List.of(p0));
      List<ConsumerRecord<byte[], byte[]>> read = pollAtLeast(first, 3);
      epoch = read.getLast().leaderEpoch();
      assertThat(epoch).isPresent();
      first.commitSync(); // the position, with the leader epoch of the last record consumed
    }
    assertThat(broker.queryText("select leader_epoch from committed_offset_overview"
            + " where \"group\" = 'epoch-keepers'"))
        .isEqualTo(epoch.orElseThrow().toString());
    try (KafkaConsumer<byte[], byte[]> second = consumer("epoch-keepers", "none")) {
      OffsetAndMetadata committed = second.committed(Set.of(p0)).get(p0);
      assertThat(committed.offset()).isEqualTo(3);
      assertThat(committed.leaderEpoch()).isEqualTo(epoch);
      // the resumed consumer validates its position with the epoch, and reads on from it
      produce(topic, 0, 1);
      second.assign(List.of(p0));
      assertThat(pollAtLeast(second, 1)).extracting(ConsumerRecord::offset).containsExactly(3L);
      second.commitSync(Map.of(p0, new OffsetAndMetadata(1))); // a commit without an epoch
      assertThat(second.committed(Set.of(p0)).get(p0).leaderEpoch()).isEmpty();
    }
    assertThat(broker.queryText("select coalesce(leader_epoch::text, 'none') from committed_offset"
            + " where group_name = 'epoch-keepers'"))
        .isEqualTo("none");
  }

  @Test
  void offsets_committed_over_kafka_show_in_the_v3_lags_the_admin_client_and_the_sql_view()
      throws Exception {
    String topic = "lagging";
    broker.http().createTopic(topic, 1);
    produce(topic, 0, 8);
    TopicPartition p0 = new TopicPartition(topic, 0);
    try (KafkaConsumer<byte[], byte[]> consumer = consumer("lag-watchers", "earliest")) {
      consumer.assign(List.of(p0));
      consumer.commitSync(Map.of(p0, new OffsetAndMetadata(3, "meta")));
    }
    TestHttp http = broker.http();
    JsonNode lags = http.get(
            "/v3/clusters/" + http.clusterId() + "/consumer-groups/lag-watchers/lags")
        .expectStatus(200)
        .json()
        .get("data");
    assertThat(lags).hasSize(1);
    assertThat(lags.get(0).get("current_offset").asLong()).isEqualTo(3);
    assertThat(lags.get(0).get("log_end_offset").asLong()).isEqualTo(8);
    assertThat(lags.get(0).get("lag").asLong()).isEqualTo(5);
    assertThat(
            broker.queryText("select concat_ws(',', topic, partition, committed_offset, metadata)"
                + " from committed_offset_overview where \"group\" = 'lag-watchers'"))
        .isEqualTo("lagging,0,3,meta");
  }

  @Test
  void offsets_committed_over_http_are_read_by_kafka_consumer_committed() {
    String topic = "from-http";
    broker.http().createTopic(topic, 1);
    produce(topic, 0, 5);
    TestHttp http = broker.http();
    String member = "/consumers/http-committers/instances/one";
    GroupOffsetCalls.httpMember(http, "http-committers", "one");
    http.post(
            member + "/assignments",
            TestHttp.V2,
            TestHttp.json(Map.of("partitions", List.of(Map.of("topic", topic, "partition", 0)))))
        .expectStatus(204);
    http.post(
            member + "/offsets",
            TestHttp.V2,
            TestHttp.json(Map.of(
                "offsets",
                List.of(Map.of("topic", topic, "partition", 0, "offset", 3, "metadata", "http")))))
        .expectStatus(200);
    TopicPartition p0 = new TopicPartition(topic, 0);
    try (KafkaConsumer<byte[], byte[]> consumer = consumer("http-committers", "none")) {
      OffsetAndMetadata committed = consumer.committed(Set.of(p0)).get(p0);
      assertThat(committed.offset()).isEqualTo(4); // last processed 3: the next to read is 4
      assertThat(committed.metadata()).isEqualTo("http");
      // and the reverse: the HTTP instance reads what a Kafka client committed
      consumer.assign(List.of(p0));
      consumer.commitSync(Map.of(p0, new OffsetAndMetadata(2, "kafka")));
    }
    JsonNode v2 = http.method(
            "GET",
            member + "/offsets",
            TestHttp.V2,
            TestHttp.json(Map.of("partitions", List.of(Map.of("topic", topic, "partition", 0)))))
        .expectStatus(200)
        .json()
        .get("offsets");
    assertThat(v2.get(0).get("offset").asLong()).isEqualTo(2);
    assertThat(v2.get(0).get("metadata").asText()).isEqualTo("kafka");
    assertThat(broker.queryText("select committed_offset || ',' || metadata from committed_offset"
            + " where group_name = 'http-committers'"))
        .isEqualTo("2,kafka");
  }

  @Test
  void a_commit_without_membership_into_a_group_with_live_http_members_is_refused() {
    String topic = "guarded-group";
    broker.http().createTopic(topic, 1);
    TestHttp http = broker.http();
    GroupOffsetCalls.httpMember(http, "busy", "member");
    GroupOffsetCalls.httpSubscribe(http, "busy", "member", topic);
    TopicPartition p0 = new TopicPartition(topic, 0);
    try (KafkaConsumer<byte[], byte[]> consumer = consumer("busy", "earliest")) {
      consumer.assign(List.of(p0));
      assertThatThrownBy(() -> consumer.commitSync(Map.of(p0, new OffsetAndMetadata(0))))
          .isInstanceOf(CommitFailedException.class);
    }
    assertThat(broker.queryText("select count(*) from committed_offset where group_name = 'busy'"))
        .isEqualTo("0");
  }

  @Test
  void kcat_commits_in_a_group_and_resumes_from_its_stored_offset() {
    Kcat.assumeInstalled();
    String topic = "kcat-stored";
    broker.http().createTopic(topic, 1);
    produce(topic, 0, 4);
    // librdkafka commits what it consumed (auto-commit), at the latest when it closes
    Kcat.Run first = kcatFromStored(
        topic, "-c", "2", "-X", "auto.offset.reset=earliest", "-X", "auto.commit.interval.ms=100");
    assertThat(first.out()).isEqualTo("0 v0\n1 v1\n");
    assertThat(broker.queryText(
            "select committed_offset from committed_offset where group_name = 'kcat-group'"))
        .isEqualTo("2");
    Kcat.Run resumed = kcatFromStored(topic, "-e");
    assertThat(resumed.out()).isEqualTo("2 v2\n3 v3\n");
  }

  /** kcat consuming partition 0 from the stored offset of group kcat-group, with {@code more}. */
  private static Kcat.Run kcatFromStored(String topic, String... more) {
    List<String> args = new ArrayList<>(List.of(
        "-C",
        "-t",
        topic,
        "-p",
        "0",
        "-o",
        "stored",
        "-f",
        "%o %s\\n",
        "-X",
        "group.id=kcat-group"));
    args.addAll(List.of(more));
    Kcat.Run run = Kcat.run(broker.kafkaBootstrap(), null, args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.err()).isZero();
    return run;
  }
}
