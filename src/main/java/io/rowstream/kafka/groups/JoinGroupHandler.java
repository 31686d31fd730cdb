package io.rowstream.kafka.groups;

import io.rowstream.group.ClassicGroups;
import io.rowstream.group.ClassicJoin;
import io.rowstream.group.ClassicJoined;
import io.rowstream.group.ClassicProtocol;
import io.rowstream.kafka.ApiHandler;
import io.rowstream.kafka.KafkaSession;
import java.util.List;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData.JoinGroupResponseMember;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.JoinGroupRequest;

/**
 * JoinGroup, every version (0..9), over {@link ClassicGroups#join}: the call waits at the group's
 * join barrier (this connection's virtual thread) until the rebalance completes on whichever node.
 * v0 has no rebalance timeout (the session timeout is it, as in Kafka); from v4 a dynamic member's
 * first join is answered MEMBER_ID_REQUIRED with its member id; v5 adds group.instance.id; v7 the
 * protocol type and name in the answer (older answers carry "" for a null name); v9 the leader's
 * {@code skipAssignment}. Refusals are rendered by the dispatcher from the thrown error.
 */
final class JoinGroupHandler implements ApiHandler<JoinGroupRequest> {
  private static final short MEMBER_ID_REQUIRED_VERSION = 4;
  private static final short NULLABLE_PROTOCOL_NAME_VERSION = 7;
  private static final short SKIP_ASSIGNMENT_VERSION = 9;

  private final ClassicGroups groups;

  JoinGroupHandler(ClassicGroups groups) {
    this.groups = groups;
  }

  @Override
  public ApiMessage handle(JoinGroupRequest request, KafkaSession session) {
    JoinGroupRequestData data = request.data();
    short version = request.version();
    List<ClassicProtocol> protocols = data.protocols().stream()
        .map(p -> new ClassicProtocol(p.name(), p.metadata()))
        .toList();
    ClassicJoined joined = groups.join(
        session.caller(),
        new ClassicJoin(
            data.groupId(),
            data.memberId(),
            data.groupInstanceId(),
            data.protocolType(),
            protocols,
            data.sessionTimeoutMs(),
            data.rebalanceTimeoutMs() < 0 ? data.sessionTimeoutMs() : data.rebalanceTimeoutMs(),
            session.clientId(),
            session.address().getHostAddress(),
            version >= MEMBER_ID_REQUIRED_VERSION,
            version >= SKIP_ASSIGNMENT_VERSION));
    String protocolName = joined.protocolName() == null && version < NULLABLE_PROTOCOL_NAME_VERSION
        ? ""
        : joined.protocolName();
    JoinGroupResponseData response = new JoinGroupResponseData()
        .setErrorCode(
            joined.memberIdRequired() ? Errors.MEMBER_ID_REQUIRED.code() : Errors.NONE.code())
        .setMemberId(joined.memberId())
        .setGenerationId(joined.generation())
        .setProtocolType(joined.protocolType())
        .setProtocolName(protocolName)
        .setLeader(joined.leaderId())
        .setSkipAssignment(joined.skipAssignment());
    joined
        .members()
        .forEach(m -> response
            .members()
            .add(new JoinGroupResponseMember()
                .setMemberId(m.memberId())
                .setGroupInstanceId(m.groupInstanceId())
                .setMetadata(m.metadata())));
    return response;
  }
}
