package io.rowstream.kafka.groups;

import static io.rowstream.kafka.groups.HeartbeatCalls.call;
import static io.rowstream.kafka.groups.HeartbeatCalls.join;
import static io.rowstream.kafka.groups.HeartbeatCalls.partitions;
import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.io.IOException;
import java.util.List;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ConsumerGroupDescribeResponse;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The KIP-848 APIs' ACLs with SASL/PLAIN, as Kafka checks them: ConsumerGroupHeartbeat needs READ
 * on the group and DESCRIBE on each topic it names; a regex member is given only topics it may
 * READ; ConsumerGroupDescribe needs DESCRIBE on the group and reports the group operations allowed.
 */
class KafkaConsumerGroupAuthorizationTest {
  private static TestBroker broker;
  private static TestHttp admin;

  @BeforeAll
  static void start() {
    broker = TestBroker.startWithKafkaSasl("kip848-authz");
    admin = broker.admin();
    admin.createTopic("open", 2);
    admin.createTopic("secret", 1);
    admin.createUser("nobody", "nobody-pw");
    admin.createUser("member", "member-pw");
    admin.allow("User:member", "READ", "GROUP", "team");
    admin.allow("User:member", "READ", "GROUP", "described");
    admin.allow("User:member", "READ", "TOPIC", "open");
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static KafkaWire signedIn(String name, String password) throws IOException {
    return KafkaWire.signedIn(broker.node(0).kafkaPort(), name, password);
  }

  private static DescribedGroup describe(KafkaWire wire, String group) throws IOException {
    return ((ConsumerGroupDescribeResponse) wire.call(
            ApiKeys.CONSUMER_GROUP_DESCRIBE,
            (short) 1,
            new ConsumerGroupDescribeRequestData()
                .setGroupIds(List.of(group))
                .setIncludeAuthorizedOperations(true)))
        .data()
        .groups()
        .getFirst();
  }

  @Test
  void heartbeats_need_read_on_the_group_and_describe_on_the_topics_they_name() throws IOException {
    try (KafkaWire nobody = signedIn("nobody", "nobody-pw");
        KafkaWire member = signedIn("member", "member-pw")) {
      assertThat(call(nobody, join("team", "n", "uniform", "open")).errorCode())
          .isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED.code());
      assertThat(call(member, join("team", "m", "uniform", "open", "secret")).errorCode())
          .isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
      assertThat(broker.queryLong(
              "select count(*) from rowstream.consumer_instance where group_name = 'team'"))
          .as("a refused heartbeat joins no one")
          .isZero();
      ConsumerGroupHeartbeatResponseData joined = call(
          member,
          join("team", "m", "uniform")
              .setSubscribedTopicNames(null)
              .setSubscribedTopicRegex("open|secret"));
      assertThat(joined.errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(partitions(joined))
          .as("the regex matches both, the member may read only open")
          .containsExactly(0, 1);
      assertThat(joined.assignment().topicPartitions()).hasSize(1);
    }
  }

  @Test
  void describe_needs_describe_on_the_group_and_reports_the_operations_allowed()
      throws IOException {
    try (KafkaWire nobody = signedIn("nobody", "nobody-pw");
        KafkaWire member = signedIn("member", "member-pw");
        KafkaWire superUser = signedIn(TestBroker.ADMIN, TestBroker.ADMIN_PASSWORD)) {
      call(member, join("described", "d", "uniform", "open"));
      assertThat(describe(nobody, "described").errorCode())
          .isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED.code());
      DescribedGroup team = describe(member, "described");
      assertThat(team.errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(Utils.from32BitField(team.authorizedOperations()))
          .containsExactlyInAnyOrder(AclOperation.READ.code(), AclOperation.DESCRIBE.code());
      assertThat(describe(superUser, "ghost").errorCode())
          .isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
    }
  }
}
