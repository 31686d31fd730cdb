package io.rowstream.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.support.KafkaClients;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.UnknownServerException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The partition limits (ROWSTREAM_MAX_PARTITIONS_PER_TOPIC, ROWSTREAM_MAX_PARTITIONS) over HTTP v3
 * and Kafka's CreateTopics and CreatePartitions: refused with INVALID_PARTITIONS or
 * POLICY_VIOLATION and a message that names the limit, nothing half-created, the cluster total held
 * under concurrent creations; and a database failure a retry cannot cure is not answered "retry".
 */
class PartitionLimitsTest {
  static final int PER_TOPIC = 100;
  static final int PER_CLUSTER = 250;
  static TestBroker broker;
  static TestHttp http;
  static String topics;

  @BeforeAll
  static void start() {
    broker = TestBroker.start(
        "partition_limits",
        c -> c.withOps(
            c.ops().withLimits(c.ops().limits().withPartitionLimits(PER_TOPIC, PER_CLUSTER))));
    http = broker.http();
    topics = "/v3/clusters/" + http.clusterId() + "/topics";
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @BeforeEach
  void noTopics() throws SQLException {
    try (var c = broker.sql();
        var s = c.createStatement()) {
      s.execute("delete from topic");
    }
  }

  @Test
  void a_topic_above_the_per_topic_limit_is_refused_over_http_and_kafka_and_nothing_is_created()
      throws Exception {
    var r = create("too-wide", PER_TOPIC + 1);
    TestHttp.assertError(r, 400, 40002);
    assertThat(r.json().get("message").asText())
        .contains("ROWSTREAM_MAX_PARTITIONS_PER_TOPIC")
        .contains(String.valueOf(PER_TOPIC));

    try (Admin admin = KafkaClients.admin(broker.kafkaBootstrap())) {
      assertThatThrownBy(() -> admin
              .createTopics(List.of(new NewTopic("too-wide", PER_TOPIC + 1, (short) 1)))
              .all()
              .get())
          .cause()
          .isInstanceOf(InvalidPartitionsException.class)
          .hasMessageContaining("ROWSTREAM_MAX_PARTITIONS_PER_TOPIC");
      admin.createTopics(List.of(new NewTopic("grows", 10, (short) 1))).all().get();
      assertThatThrownBy(() -> admin
              .createPartitions(Map.of("grows", NewPartitions.increaseTo(PER_TOPIC + 1)))
              .all()
              .get())
          .cause()
          .isInstanceOf(InvalidPartitionsException.class);
    }
    assertThat(partitionRows()).as("only grows' 10 partitions").isEqualTo(10);
  }

  @Test
  void partitions_beyond_the_cluster_limit_are_a_policy_violation_over_http_and_kafka()
      throws Exception {
    assertThat(create("a", 100).status()).isEqualTo(201);
    assertThat(create("b", 100).status()).isEqualTo(201);
    assertThat(create("d", 40).status()).isEqualTo(201);
    var refused = create("c", 11);
    TestHttp.assertError(refused, 400, 40002);
    assertThat(refused.json().get("message").asText())
        .contains("ROWSTREAM_MAX_PARTITIONS")
        .contains("250");
    var grow = http.post(topics + "/d/partitions", "application/json", "{\"partitions_count\":51}");
    TestHttp.assertError(grow, 400, 40002);

    try (Admin admin = KafkaClients.admin(broker.kafkaBootstrap())) {
      assertThatThrownBy(() -> admin
              .createTopics(List.of(new NewTopic("c", 11, (short) 1)))
              .all()
              .get())
          .cause()
          .isInstanceOf(PolicyViolationException.class)
          .hasMessageContaining("ROWSTREAM_MAX_PARTITIONS");
      assertThatThrownBy(() -> admin
              .createPartitions(Map.of("d", NewPartitions.increaseTo(51)))
              .all()
              .get())
          .cause()
          .isInstanceOf(PolicyViolationException.class);
      admin.createTopics(List.of(new NewTopic("c", 10, (short) 1))).all().get();
    }
    assertThat(partitionRows()).as("exactly the limit").isEqualTo(PER_CLUSTER);
    assertThat(broker.queryLong("select partition_count from topic where name = 'd'"))
        .isEqualTo(40);
  }

  @Test
  void concurrent_creations_cannot_pass_the_cluster_limit_together() throws Exception {
    assertThat(create("base", 100).status()).isEqualTo(201);
    List<Future<Integer>> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 8; i++) {
        String name = "racer-" + i;
        answers.add(pool.submit(() -> create(name, 100).status()));
      }
    }
    long created = 0;
    for (Future<Integer> answer : answers) {
      int status = answer.get();
      assertThat(status).isIn(201, 400);
      created += status == 201 ? 1 : 0;
    }
    assertThat(created).as("room for one more topic of 100").isOne();
    assertThat(partitionRows()).isEqualTo(200);
  }

  @Test
  void a_database_out_of_shared_memory_is_answered_without_inviting_a_retry() throws Exception {
    try (var c = broker.sql();
        var s = c.createStatement()) {
      s.execute("create function refuse_topics() returns trigger language plpgsql as $$ begin"
          + " raise exception 'out of shared memory' using errcode = '53200'; end $$");
      s.execute("create trigger refuse_topics before insert on topic for each row"
          + " execute function refuse_topics()");
    }
    try {
      var r = create("exhausting", 10);
      TestHttp.assertError(r, 500, 50002);
      assertThat(r.json().get("message").asText())
          .contains("will not help")
          .doesNotContain("retry.");
      try (Admin admin = KafkaClients.admin(broker.kafkaBootstrap())) {
        assertThatThrownBy(() -> admin
                .createTopics(List.of(new NewTopic("exhausting", 10, (short) 1)))
                .all()
                .get())
            .isInstanceOf(ExecutionException.class)
            .cause()
            .isInstanceOf(UnknownServerException.class)
            .hasMessageContaining("will not help");
      }
    } finally {
      try (var c = broker.sql();
          var s = c.createStatement()) {
        s.execute("drop trigger refuse_topics on topic");
        s.execute("drop function refuse_topics()");
      }
    }
  }

  private static TestHttp.Response create(String name, int partitions) {
    return http.post(
        topics,
        "application/json",
        TestHttp.json(Map.of("topic_name", name, "partitions_count", partitions)));
  }

  private static long partitionRows() {
    return broker.queryLong("select count(*) from topic_partition");
  }
}
