package io.rowstream.kafka.groups;

import io.rowstream.error.BrokerException;
import io.rowstream.group.ConsumerGroupDescriptions;
import io.rowstream.kafka.ApiHandler;
import io.rowstream.kafka.KafkaErrors;
import io.rowstream.kafka.KafkaSession;
import io.rowstream.security.Acl;
import io.rowstream.security.Caller;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.Assignment;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.TopicPartitions;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ConsumerGroupDescribeRequest;
import org.apache.kafka.common.utils.Utils;

/**
 * ConsumerGroupDescribe (KIP-848), v0 and v1 (v1 adds each member's type: 1, a server-assigned
 * member, for HTTP instances and Kafka members alike). Per group: DESCRIBE on it, else
 * GROUP_AUTHORIZATION_FAILED; GROUP_ID_NOT_FOUND for an unknown or classic group (the Admin client
 * then asks DescribeGroups, as with Kafka 4); with {@code include_authorized_operations}, the group
 * operations (READ, DESCRIBE, DELETE) the caller may do.
 */
final class ConsumerGroupDescribeHandler implements ApiHandler<ConsumerGroupDescribeRequest> {
  private static final List<Acl.Operation> GROUP_OPERATIONS =
      List.of(Acl.Operation.READ, Acl.Operation.DESCRIBE, Acl.Operation.DELETE);
  private static final byte CONSUMER_MEMBER = 1;

  private final ConsumerGroupDescriptions descriptions;
  private final KafkaErrors errors;

  ConsumerGroupDescribeHandler(ConsumerGroupDescriptions descriptions, KafkaErrors errors) {
    this.descriptions = descriptions;
    this.errors = errors;
  }

  @Override
  public ApiMessage handle(ConsumerGroupDescribeRequest request, KafkaSession session) {
    Caller caller = session.caller();
    ConsumerGroupDescribeResponseData response = new ConsumerGroupDescribeResponseData();
    for (String groupId : request.data().groupIds()) {
      DescribedGroup group = new DescribedGroup().setGroupId(groupId);
      response.groups().add(group);
      try {
        render(group, descriptions.describe(caller, groupId));
        if (request.data().includeAuthorizedOperations()) {
          group.setAuthorizedOperations(authorizedOperations(caller, groupId));
        }
      } catch (BrokerException e) {
        group
            .setErrorCode(errors.errorOf(e, "ConsumerGroupDescribe").code())
            .setErrorMessage(e.getMessage());
      }
    }
    return response;
  }

  private static void render(DescribedGroup group, ConsumerGroupDescriptions.Description d) {
    group
        .setErrorCode(Errors.NONE.code())
        .setGroupState(d.state())
        .setGroupEpoch(d.groupEpoch())
        .setAssignmentEpoch(d.assignmentEpoch())
        .setAssignorName(d.assignor());
    for (ConsumerGroupDescriptions.Member m : d.members()) {
      group
          .members()
          .add(new ConsumerGroupDescribeResponseData.Member()
              .setMemberId(m.memberId())
              .setInstanceId(m.instanceId())
              .setMemberEpoch(m.memberEpoch())
              .setClientId(m.clientId())
              .setClientHost(m.clientHost())
              .setSubscribedTopicNames(m.subscribedTopicNames())
              .setSubscribedTopicRegex(m.subscribedTopicRegex())
              .setAssignment(assignment(m.assignment()))
              .setTargetAssignment(assignment(m.targetAssignment()))
              .setMemberType(CONSUMER_MEMBER));
    }
  }

  private static Assignment assignment(List<ConsumerGroupDescriptions.Partitions> partitions) {
    return new Assignment()
        .setTopicPartitions(partitions.stream()
            .map(p -> new TopicPartitions()
                .setTopicId(ConsumerGroupHeartbeatHandler.kafkaId(p.topicId()))
                .setTopicName(p.topic())
                .setPartitions(p.partitions()))
            .toList());
  }

  private static int authorizedOperations(Caller caller, String group) {
    Set<Byte> codes = new HashSet<>();
    for (Acl.Operation op : GROUP_OPERATIONS) {
      if (caller.may(op, Acl.ResourceType.GROUP, group)) {
        codes.add(AclOperation.valueOf(op.name()).code());
      }
    }
    return Utils.to32BitField(codes);
  }
}
