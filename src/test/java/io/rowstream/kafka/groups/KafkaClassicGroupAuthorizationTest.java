package io.rowstream.kafka.groups;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.LeaveGroupResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The classic group APIs need READ on the group, as Kafka checks it: without it JoinGroup,
 * SyncGroup, Heartbeat and LeaveGroup answer GROUP_AUTHORIZATION_FAILED and change nothing.
 */
class KafkaClassicGroupAuthorizationTest {
  private static TestBroker broker;
  private static TestHttp admin;

  @BeforeAll
  static void start() {
    broker = TestBroker.startWithKafkaSasl("kafka-classic-authz");
    admin = broker.admin();
    admin.createTopic("guarded", 1);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static KafkaWire signedIn(String name) throws IOException {
    return KafkaWire.signedIn(broker.node(0).kafkaPort(), name, name + "-pw");
  }

  @Test
  void without_read_on_the_group_every_classic_call_is_refused() throws IOException {
    admin.createUser("stranger", "stranger-pw");
    admin.createUser("member", "member-pw");
    admin.allow("User:member", "READ", "GROUP", "guarded-group");
    admin.allow("User:member", "READ", "TOPIC", "guarded");
    try (KafkaWire stranger = signedIn("stranger");
        KafkaWire member = signedIn("member")) {
      JoinGroupResponseData joined = ClassicWire.joinAsMember(member, "guarded-group", "guarded");
      assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);

      JoinGroupResponseData refused = ClassicWire.join(
          stranger, (short) 9, "guarded-group", "", null, "consumer", ClassicWire.range("guarded"));
      assertThat(Errors.forCode(refused.errorCode())).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED);
      assertThat(Errors.forCode(
              ClassicWire.sync(stranger, "guarded-group", 1, joined.memberId(), Map.of())
                  .errorCode()))
          .isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED);
      assertThat(ClassicWire.heartbeat(stranger, "guarded-group", 1, joined.memberId(), null))
          .isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED);
      LeaveGroupResponse left = (LeaveGroupResponse) stranger.call(
          ApiKeys.LEAVE_GROUP,
          (short) 5,
          new LeaveGroupRequestData()
              .setGroupId("guarded-group")
              .setMembers(List.of(new MemberIdentity().setMemberId(joined.memberId()))));
      assertThat(Errors.forCode(left.data().errorCode()))
          .isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED);

      assertThat(broker.queryText("select g.state || ':' || g.generation || ':' || count(i.*)"
              + " from consumer_group g join consumer_instance i using (group_name)"
              + " where group_name = 'guarded-group' group by g.state, g.generation"))
          .isEqualTo("COMPLETING_REBALANCE:1:1");
      assertThat(ClassicWire.heartbeat(member, "guarded-group", 1, joined.memberId(), null))
          .isEqualTo(Errors.NONE);
    }
  }
}
