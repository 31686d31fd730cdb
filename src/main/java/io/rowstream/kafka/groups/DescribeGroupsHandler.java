package io.rowstream.kafka.groups;

import io.rowstream.group.GroupInspector;
import io.rowstream.group.GroupInspector.GroupDescription;
import io.rowstream.group.GroupInspector.MemberDescription;
import io.rowstream.group.GroupState;
import io.rowstream.kafka.ApiHandler;
import io.rowstream.kafka.AuthorizedOperations;
import io.rowstream.kafka.KafkaSession;
import io.rowstream.security.Acl;
import io.rowstream.security.Caller;
import java.util.Set;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.DescribeGroupsResponse;

/**
 * DescribeGroups, every version (0..6), as Kafka's classic coordinator answers it: the group's
 * state, protocol type and, while it is Stable, its protocol (the group's assignor, which Kafka's
 * tools show as the partition assignor); its live subscribed members with member id, static id
 * (v4+), client id, client host and their protocol bytes ({@link MemberProtocol}; the metadata only while Stable). A group that
 * does not exist is Dead with no members: without an error before v6, GROUP_ID_NOT_FOUND with a
 * message from v6 (KIP-1043). DESCRIBE on each group, else its GROUP_AUTHORIZATION_FAILED; from v3
 * the group's authorized operations when asked (Rowstream's group operations: READ, DESCRIBE,
 * DELETE).
 */
final class DescribeGroupsHandler implements ApiHandler<DescribeGroupsRequest> {
  private static final short NOT_FOUND_VERSION = 6;
  private static final Set<Acl.Operation> GROUP_OPERATIONS =
      Set.of(Acl.Operation.READ, Acl.Operation.DESCRIBE, Acl.Operation.DELETE);

  private final GroupInspector groups;

  DescribeGroupsHandler(GroupInspector groups) {
    this.groups = groups;
  }

  @Override
  public ApiMessage handle(DescribeGroupsRequest request, KafkaSession session) {
    Caller caller = session.caller();
    DescribeGroupsRequestData data = request.data();
    DescribeGroupsResponseData response = new DescribeGroupsResponseData();
    for (String id : data.groups()) {
      if (!caller.may(Acl.Operation.DESCRIBE, Acl.ResourceType.GROUP, id)) {
        response
            .groups()
            .add(DescribeGroupsResponse.groupError(id, Errors.GROUP_AUTHORIZATION_FAILED));
        continue;
      }
      DescribedGroup described = groups
          .describe(id)
          .map(DescribeGroupsHandler::described)
          .orElseGet(() -> dead(id, request.version()));
      if (data.includeAuthorizedOperations() && described.errorCode() == Errors.NONE.code()) {
        described.setAuthorizedOperations(
            AuthorizedOperations.of(caller, Acl.ResourceType.GROUP, id, GROUP_OPERATIONS));
      }
      response.groups().add(described);
    }
    return response;
  }

  private static DescribedGroup described(GroupDescription d) {
    GroupState state = d.group().kafkaState();
    DescribedGroup out = new DescribedGroup()
        .setGroupId(d.group().name())
        .setGroupState(state.kafkaName())
        .setProtocolType(d.group().protocolType())
        .setProtocolData(state == GroupState.STABLE ? d.group().assignor() : "");
    for (MemberDescription m : d.members()) {
      out.members()
          .add(new DescribedGroupMember()
              .setMemberId(m.memberId())
              .setGroupInstanceId(m.groupInstanceId())
              .setClientId(m.clientId())
              .setClientHost(clientHost(m.clientHost()))
              // Kafka gives a member's metadata only while the group is Stable
              .setMemberMetadata(
                  state == GroupState.STABLE ? MemberProtocol.metadata(m) : new byte[0])
              .setMemberAssignment(MemberProtocol.assignment(m)));
    }
    return out;
  }

  /**
   * An address as Kafka renders a member's ({@code InetAddress.toString()}: {@code /127.0.0.1});
   * {@code *}, the host of an HTTP instance created with authentication off, stays as it is.
   */
  private static String clientHost(String host) {
    return Acl.WILDCARD.equals(host) ? host : "/" + host;
  }

  /** What Kafka answers for a group it does not know. */
  private static DescribedGroup dead(String id, short version) {
    DescribedGroup out = new DescribedGroup()
        .setGroupId(id)
        .setGroupState(GroupState.DEAD.kafkaName())
        .setProtocolType("")
        .setProtocolData("");
    if (version >= NOT_FOUND_VERSION) {
      out.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
          .setErrorMessage("Group " + id + " not found.");
    }
    return out;
  }
}
