package io.rowstream.kafka.groups;

import io.rowstream.error.BrokerError;
import io.rowstream.group.ClassicGroups;
import io.rowstream.kafka.ApiHandler;
import io.rowstream.kafka.KafkaSession;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData.MemberResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.LeaveGroupRequest;

/**
 * LeaveGroup, every version (0..5), over {@link ClassicGroups#leave}: one member by member id
 * (v0..2, its refusal is the answer's error) or a batch of members by member id or
 * group.instance.id (v3+, a refusal per member, as Kafka answers them).
 */
final class LeaveGroupHandler implements ApiHandler<LeaveGroupRequest> {
  private static final short BATCHED_VERSION = 3;

  private final ClassicGroups groups;

  LeaveGroupHandler(ClassicGroups groups) {
    this.groups = groups;
  }

  @Override
  public ApiMessage handle(LeaveGroupRequest request, KafkaSession session) {
    LeaveGroupRequestData data = request.data();
    List<ClassicGroups.Leaving> leaving = new ArrayList<>();
    if (request.version() < BATCHED_VERSION) {
      leaving.add(new ClassicGroups.Leaving(data.memberId(), null));
    } else {
      for (MemberIdentity m : data.members()) {
        leaving.add(new ClassicGroups.Leaving(m.memberId(), m.groupInstanceId()));
      }
    }
    List<BrokerError> outcomes = groups.leave(session.caller(), data.groupId(), leaving);
    LeaveGroupResponseData response = new LeaveGroupResponseData();
    if (request.version() < BATCHED_VERSION) {
      return response.setErrorCode(code(outcomes.getFirst()));
    }
    for (int i = 0; i < leaving.size(); i++) {
      response
          .members()
          .add(new MemberResponse()
              .setMemberId(leaving.get(i).memberId())
              .setGroupInstanceId(leaving.get(i).groupInstanceId())
              .setErrorCode(code(outcomes.get(i))));
    }
    return response;
  }

  private static short code(BrokerError error) {
    return error == null ? Errors.NONE.code() : error.kafka().code();
  }
}
