package io.rowstream.kafka.groups;

import io.rowstream.group.GroupInspector;
import io.rowstream.group.GroupRow;
import io.rowstream.kafka.ApiHandler;
import io.rowstream.kafka.KafkaSession;
import io.rowstream.security.Acl;
import io.rowstream.security.Caller;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.ListGroupsRequest;

/**
 * ListGroups, every version: each group with its protocol type, from v4 its state and from v5 its
 * type under Kafka's names ({@link io.rowstream.group.GroupState}, {@link
 * io.rowstream.group.GroupType}), filtered by the request's states (v4+) and types (v5+) as
 * {@link GroupInspector#groups(java.util.Collection, java.util.Collection)} applies them. Kafka's
 * ACLs: DESCRIBE on the cluster lists every group, otherwise only the groups the caller may
 * DESCRIBE are listed (never an error).
 */
final class ListGroupsHandler implements ApiHandler<ListGroupsRequest> {
  private final GroupInspector groups;

  ListGroupsHandler(GroupInspector groups) {
    this.groups = groups;
  }

  @Override
  public ApiMessage handle(ListGroupsRequest request, KafkaSession session) {
    Caller caller = session.caller();
    boolean all = caller.may(Acl.Operation.DESCRIBE, Acl.ResourceType.CLUSTER, Acl.CLUSTER_NAME);
    ListGroupsResponseData response = new ListGroupsResponseData();
    // before v4 and v5 the filters are not on the wire, and read as empty: no filter
    for (GroupRow g :
        groups.groups(request.data().statesFilter(), request.data().typesFilter())) {
      if (all || caller.may(Acl.Operation.DESCRIBE, Acl.ResourceType.GROUP, g.name())) {
        response
            .groups()
            .add(new ListedGroup()
                .setGroupId(g.name())
                .setProtocolType(g.protocolType())
                .setGroupState(g.kafkaState().kafkaName())
                .setGroupType(g.type().kafkaName()));
      }
    }
    return response;
  }
}
