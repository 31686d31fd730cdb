package io.rowstream.kafka.groups;

import io.rowstream.error.BrokerException;
import io.rowstream.group.GroupAdmin;
import io.rowstream.kafka.ApiHandler;
import io.rowstream.kafka.KafkaErrors;
import io.rowstream.kafka.KafkaSession;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteGroupsRequest;

/**
 * DeleteGroups, every version (0..3; v3 adds each result's message): each group named (once, as
 * Kafka drops repeats) deleted on its own by {@link GroupAdmin#delete}, with its committed offsets;
 * per group GROUP_AUTHORIZATION_FAILED without DELETE on it, GROUP_ID_NOT_FOUND, or NON_EMPTY_GROUP
 * while a consumer instance of it is live.
 */
final class DeleteGroupsHandler implements ApiHandler<DeleteGroupsRequest> {
  private static final short MESSAGE_VERSION = 3;

  private final GroupAdmin admin;
  private final KafkaErrors errors;

  DeleteGroupsHandler(GroupAdmin admin, KafkaErrors errors) {
    this.admin = admin;
    this.errors = errors;
  }

  @Override
  public ApiMessage handle(DeleteGroupsRequest request, KafkaSession session) {
    DeleteGroupsResponseData response = new DeleteGroupsResponseData();
    for (String group : request.data().groupsNames().stream().distinct().toList()) {
      DeletableGroupResult result = new DeletableGroupResult().setGroupId(group);
      try {
        admin.delete(session.caller(), group);
      } catch (BrokerException e) {
        Errors error = errors.errorOf(e, "DeleteGroups");
        result.setErrorCode(error.code());
        if (request.version() >= MESSAGE_VERSION) {
          result.setErrorMessage(e.getMessage());
        }
      }
      response.results().add(result);
    }
    return response;
  }
}
