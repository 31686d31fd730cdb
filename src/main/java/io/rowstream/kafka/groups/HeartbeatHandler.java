package io.rowstream.kafka.groups;

import io.rowstream.group.ClassicGroups;
import io.rowstream.kafka.ApiHandler;
import io.rowstream.kafka.KafkaSession;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.HeartbeatRequest;

/**
 * Heartbeat, every version (0..4; v3 adds group.instance.id), over {@link ClassicGroups#heartbeat}:
 * renews the member's lease; REBALANCE_IN_PROGRESS tells it to rejoin.
 */
final class HeartbeatHandler implements ApiHandler<HeartbeatRequest> {
  private final ClassicGroups groups;

  HeartbeatHandler(ClassicGroups groups) {
    this.groups = groups;
  }

  @Override
  public ApiMessage handle(HeartbeatRequest request, KafkaSession session) {
    HeartbeatRequestData data = request.data();
    groups.heartbeat(
        session.caller(),
        data.groupId(),
        data.generationId(),
        data.memberId(),
        data.groupInstanceId());
    return new HeartbeatResponseData();
  }
}
