package io.rowstream.kafka.groups;

import io.rowstream.group.ClassicGroups;
import io.rowstream.kafka.ApiHandler;
import io.rowstream.kafka.KafkaSession;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.SyncGroupRequest;

/**
 * SyncGroup, every version (0..5), over {@link ClassicGroups#sync}: the leader's call stores the
 * assignment; a follower's waits for it (on whichever node the leader synced). v3 adds
 * group.instance.id, v5 the protocol type and name, checked against the group's
 * (INCONSISTENT_GROUP_PROTOCOL).
 */
final class SyncGroupHandler implements ApiHandler<SyncGroupRequest> {
  private final ClassicGroups groups;

  SyncGroupHandler(ClassicGroups groups) {
    this.groups = groups;
  }

  @Override
  public ApiMessage handle(SyncGroupRequest request, KafkaSession session) {
    SyncGroupRequestData data = request.data();
    Map<String, byte[]> assignments = new LinkedHashMap<>();
    data.assignments().forEach(a -> assignments.put(a.memberId(), a.assignment()));
    ClassicGroups.Synced synced = groups.sync(
        session.caller(),
        data.groupId(),
        data.generationId(),
        data.memberId(),
        data.groupInstanceId(),
        data.protocolType(),
        data.protocolName(),
        assignments);
    return new SyncGroupResponseData()
        .setProtocolType(synced.protocolType())
        .setProtocolName(synced.protocolName())
        .setAssignment(synced.assignment());
  }
}
