package io.rowstream.kafka.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.support.KafkaClients;
import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The group offset APIs' ACLs with SASL/PLAIN, as Kafka checks them: DESCRIBE on the group to find
 * its coordinator and fetch its offsets, READ on the group and on each topic to commit
 * (GROUP_ / TOPIC_AUTHORIZATION_FAILED, nothing written); topics the caller may not DESCRIBE left
 * out of a fetch of all offsets.
 */
class KafkaGroupOffsetsAuthorizationTest {
  private static TestBroker broker;
  private static TestHttp admin;

  @BeforeAll
  static void start() {
    broker = TestBroker.startWithKafkaSasl("kafka-group-offsets-authz");
    admin = broker.admin();
    admin.createTopic("open", 1);
    admin.createTopic("secret", 1);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static KafkaWire signedIn(String name) throws IOException {
    return KafkaWire.signedIn(broker.node(0).kafkaPort(), name, name + "-pw");
  }

  private static String commit(KafkaWire wire, String group) throws IOException {
    return GroupOffsetCalls.commitOpenAndSecret(wire, group);
  }

  @Test
  void group_and_topic_acls_decide_each_api_as_kafka_does() throws IOException {
    admin.createUser("nobody", "nobody-pw");
    admin.createUser("member", "member-pw");
    admin.allow("User:member", "READ", "GROUP", "team");
    admin.allow("User:member", "READ", "TOPIC", "open");
    try (KafkaWire nobody = signedIn("nobody");
        KafkaWire member = signedIn("member")) {
      assertThat(GroupOffsetCalls.coordinatorError(nobody, "team"))
          .isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED.code());
      assertThat(commit(nobody, "team"))
          .isEqualTo("open-0=GROUP_AUTHORIZATION_FAILED secret-0=GROUP_AUTHORIZATION_FAILED");
      assertThat(((OffsetFetchResponse) nobody.call(
                  ApiKeys.OFFSET_FETCH,
                  (short) 7,
                  new OffsetFetchRequestData().setGroupId("team").setTopics(null)))
              .data()
              .errorCode())
          .isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED.code());

      assertThat(GroupOffsetCalls.coordinatorError(member, "team")).isEqualTo(Errors.NONE.code());
      assertThat(commit(member, "team"))
          .isEqualTo("open-0=NONE secret-0=TOPIC_AUTHORIZATION_FAILED");
    }
    // a super user's commit to the secret topic: then the member's fetch of all leaves it out
    try (KafkaConsumer<byte[], byte[]> root =
        KafkaClients.consumer(broker.kafkaBootstrap(), adminClientSettings("team"))) {
      TopicPartition secret = new TopicPartition("secret", 0);
      root.commitSync(Map.of(secret, new OffsetAndMetadata(5)));
    }
    try (KafkaWire member = signedIn("member")) {
      OffsetFetchResponseData all = ((OffsetFetchResponse) member.call(
              ApiKeys.OFFSET_FETCH,
              (short) 7,
              new OffsetFetchRequestData().setGroupId("team").setTopics(null)))
          .data();
      assertThat(all.topics()).extracting(t -> t.name()).containsExactly("open");
    }
    assertThat(broker.queryText("select string_agg(t.name || '=' || o.committed_offset, ','"
            + " order by t.name) from committed_offset o join topic t using (topic_id)"
            + " where group_name = 'team'"))
        .isEqualTo("open=1,secret=5");
  }

  @Test
  void a_kafka_consumer_without_read_on_the_topic_gets_a_topic_authorization_error() {
    admin.createUser("reader", "reader-pw");
    admin.allow("User:reader", "READ", "GROUP", "readers");
    TopicPartition secret = new TopicPartition("secret", 0);
    try (KafkaConsumer<byte[], byte[]> consumer =
        KafkaClients.consumer(broker.kafkaBootstrap(), settings("reader", "readers"))) {
      consumer.assign(List.of(secret));
      assertThatThrownBy(() -> consumer.commitSync(Map.of(secret, new OffsetAndMetadata(1))))
          .isInstanceOf(TopicAuthorizationException.class);
    }
    try (KafkaConsumer<byte[], byte[]> consumer =
        KafkaClients.consumer(broker.kafkaBootstrap(), settings("reader", "strangers"))) {
      assertThatThrownBy(() -> consumer.committed(Set.of(secret)))
          .isInstanceOf(GroupAuthorizationException.class);
    }
  }

  private static Map<String, Object> settings(String user, String group) {
    Map<String, Object> s =
        new java.util.HashMap<>(KafkaClients.saslPlain("SASL_PLAINTEXT", user, user + "-pw"));
    s.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    return s;
  }

  private static Map<String, Object> adminClientSettings(String group) {
    return settings(TestBroker.ADMIN, group);
  }
}
