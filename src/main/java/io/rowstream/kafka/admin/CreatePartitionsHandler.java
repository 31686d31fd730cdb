package io.rowstream.kafka.admin;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.kafka.ApiHandler;
import io.rowstream.kafka.KafkaErrors;
import io.rowstream.kafka.KafkaSession;
import io.rowstream.security.Acl;
import io.rowstream.security.Caller;
import io.rowstream.topic.TopicAdmin;
import java.util.Set;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreatePartitionsRequest;

/**
 * CreatePartitions: each topic grows to its new count by {@link TopicAdmin#addPartitions} (with
 * validate_only only checked); the caller needs ALTER on the topic (TOPIC_AUTHORIZATION_FAILED); a
 * count not above the current one is INVALID_PARTITIONS; a topic named twice INVALID_REQUEST. Kafka
 * also takes manual assignments of the new partitions' replicas; Rowstream places partitions
 * itself and refuses them (INVALID_REQUEST) rather than ignore them.
 */
final class CreatePartitionsHandler implements ApiHandler<CreatePartitionsRequest> {
  private static final String DURING = "CreatePartitions";
  private final TopicAdmin admin;
  private final KafkaErrors errors;

  CreatePartitionsHandler(TopicAdmin admin, KafkaErrors errors) {
    this.admin = admin;
    this.errors = errors;
  }

  @Override
  public ApiMessage handle(CreatePartitionsRequest request, KafkaSession session) {
    Caller caller = session.caller();
    boolean validateOnly = request.data().validateOnly();
    CreatePartitionsResponseData response = new CreatePartitionsResponseData();
    Set<String> twice = Duplicates.of(request.data().topics(), CreatePartitionsTopic::name);
    for (CreatePartitionsTopic t : request.data().topics()) {
      CreatePartitionsTopicResult result =
          new CreatePartitionsTopicResult().setName(t.name()).setErrorCode(Errors.NONE.code());
      ResultError error = twice.contains(t.name())
          ? ResultError.invalidRequest(errors, "Duplicate topic in request.", DURING)
          : grow(t, caller, validateOnly);
      if (error != null) {
        result.setErrorCode(error.code()).setErrorMessage(error.message());
      }
      response.results().add(result);
    }
    return response;
  }

  /** Null when grown (or, validate-only, when it could be). */
  private ResultError grow(CreatePartitionsTopic t, Caller caller, boolean validateOnly) {
    try {
      caller.require(Acl.Operation.ALTER, Acl.ResourceType.TOPIC, t.name());
      if (t.assignments() != null && !t.assignments().isEmpty()) {
        throw new BrokerException(
            BrokerError.INVALID_REQUEST,
            "Manual replica assignments are not supported: Rowstream places partitions itself. "
                + "Give the new partition count alone.");
      }
      admin.addPartitions(t.name(), t.count(), validateOnly);
      return null;
    } catch (BrokerException e) {
      return ResultError.of(errors, e, DURING);
    }
  }
}
