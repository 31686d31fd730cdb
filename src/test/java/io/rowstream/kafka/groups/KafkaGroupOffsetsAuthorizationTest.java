package io.rowstream.kafka.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.support.KafkaClients;
import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
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
    broker = TestBroker.startWithAuth(
        "kafka-group-offsets-authz", c -> c.withKafka(c.kafka().withSaslPlainWithoutTls(true)));
    admin = broker.admin();
    admin.createTopic("open", 1);
    admin.createTopic("secret", 1);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static KafkaWire signedIn(String name) throws IOException {
    KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort());
    wire.call(
        ApiKeys.SASL_HANDSHAKE, (short) 1, new SaslHandshakeRequestData().setMechanism("PLAIN"));
    SaslAuthenticateResponse r = (SaslAuthenticateResponse) wire.call(
        ApiKeys.SASL_AUTHENTICATE,
        (short) 2,
        new SaslAuthenticateRequestData()
            .setAuthBytes(("\0" + name + "\0" + name + "-pw").getBytes(StandardCharsets.UTF_8)));
    assertThat(r.error()).isEqualTo(Errors.NONE);
    return wire;
  }

  private static String commit(KafkaWire wire, String group) throws IOException {
    StringBuilder out = new StringBuilder();
    ((OffsetCommitResponse) wire.call(
            ApiKeys.OFFSET_COMMIT,
            (short) 9,
            new OffsetCommitRequestData()
                .setGroupId(group)
                .setGenerationIdOrMemberEpoch(-1)
                .setMemberId("")
                .setTopics(List.of(
                    new OffsetCommitRequestTopic()
                        .setName("open")
                        .setPartitions(
                            List.of(new OffsetCommitRequestPartition().setCommittedOffset(1))),
                    new OffsetCommitRequestTopic()
                        .setName("secret")
                        .setPartitions(
                            List.of(new OffsetCommitRequestPartition().setCommittedOffset(1)))))))
        .data()
        .topics()
        .forEach(t -> t.partitions()
            .forEach(p -> out.append(t.name())
                .append('=')
                .append(Errors.forCode(p.errorCode()))
                .append(' ')));
    return out.toString().trim();
  }

  @Test
  void group_and_topic_acls_decide_each_api_as_kafka_does() throws IOException {
    admin.createUser("nobody", "nobody-pw");
    admin.createUser("member", "member-pw");
    admin.allow("User:member", "READ", "GROUP", "team");
    admin.allow("User:member", "READ", "TOPIC", "open");
    try (KafkaWire nobody = signedIn("nobody");
        KafkaWire member = signedIn("member")) {
      assertThat(((FindCoordinatorResponse) nobody.call(
                  ApiKeys.FIND_COORDINATOR,
                  (short) 4,
                  new FindCoordinatorRequestData().setCoordinatorKeys(List.of("team"))))
              .data()
              .coordinators()
              .getFirst()
              .errorCode())
          .isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED.code());
      assertThat(commit(nobody, "team"))
          .isEqualTo("open=GROUP_AUTHORIZATION_FAILED secret=GROUP_AUTHORIZATION_FAILED");
      assertThat(((OffsetFetchResponse) nobody.call(
                  ApiKeys.OFFSET_FETCH,
                  (short) 7,
                  new OffsetFetchRequestData().setGroupId("team").setTopics(null)))
              .data()
              .errorCode())
          .isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED.code());

      assertThat(((FindCoordinatorResponse) member.call(
                  ApiKeys.FIND_COORDINATOR,
                  (short) 4,
                  new FindCoordinatorRequestData().setCoordinatorKeys(List.of("team"))))
              .data()
              .coordinators()
              .getFirst()
              .errorCode())
          .isEqualTo(Errors.NONE.code());
      assertThat(commit(member, "team")).isEqualTo("open=NONE secret=TOPIC_AUTHORIZATION_FAILED");
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
