package io.rowstream.kafka.admin;

import io.rowstream.error.BrokerException;
import io.rowstream.kafka.ApiHandler;
import io.rowstream.kafka.KafkaErrors;
import io.rowstream.kafka.KafkaIds;
import io.rowstream.kafka.KafkaSession;
import io.rowstream.security.Acl;
import io.rowstream.security.Caller;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicAdmin;
import io.rowstream.topic.TopicService;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteTopicsRequestData.DeleteTopicState;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteTopicsRequest;

/**
 * DeleteTopics, by name, and from v6 by topic id, with Kafka's checks in Kafka's order: a topic the
 * caller may not DESCRIBE is TOPIC_AUTHORIZATION_FAILED (by id, without its name), an unknown one
 * UNKNOWN_TOPIC_OR_PARTITION (by id: UNKNOWN_TOPIC_ID), one it may not DELETE
 * TOPIC_AUTHORIZATION_FAILED; a name or id given twice is INVALID_REQUEST. Each topic is deleted by
 * {@link TopicAdmin#delete} on its own.
 */
final class DeleteTopicsHandler implements ApiHandler<DeleteTopicsRequest> {
  private static final String DURING = "DeleteTopics";
  private final TopicAdmin admin;
  private final TopicService topics;
  private final KafkaErrors errors;

  DeleteTopicsHandler(TopicAdmin admin, TopicService topics, KafkaErrors errors) {
    this.admin = admin;
    this.topics = topics;
    this.errors = errors;
  }

  @Override
  public ApiMessage handle(DeleteTopicsRequest request, KafkaSession session) {
    Caller caller = session.caller();
    short version = request.version();
    List<DeleteTopicState> asked = version >= 6
        ? request.data().topics()
        : request.data().topicNames().stream()
            .map(n -> new DeleteTopicState().setName(n))
            .toList();
    DeleteTopicsResponseData response = new DeleteTopicsResponseData();
    Set<String> namesTwice =
        Duplicates.of(asked.stream().filter(t -> !byId(t)).toList(), DeleteTopicState::name);
    Set<Uuid> idsTwice = Duplicates.of(
        asked.stream().filter(DeleteTopicsHandler::byId).toList(), DeleteTopicState::topicId);
    Map<Uuid, Topic> ids = asked.stream().anyMatch(DeleteTopicsHandler::byId)
        ? KafkaIds.byId(topics.list())
        : Map.of();
    for (DeleteTopicState t : asked) {
      DeletableTopicResult result = new DeletableTopicResult().setName(t.name());
      if (version >= 6) {
        result.setTopicId(t.topicId());
      }
      ResultError error;
      if (byId(t)) {
        error = idsTwice.contains(t.topicId())
            ? ResultError.invalidRequest(errors, "Duplicate topic id.", DURING)
            : deleteById(t.topicId(), ids, caller, result);
      } else {
        error = namesTwice.contains(t.name())
            ? ResultError.invalidRequest(errors, "Duplicate topic name.", DURING)
            : deleteByName(t.name(), caller);
      }
      if (error != null) {
        result.setErrorCode(error.code());
        if (version >= 5) {
          result.setErrorMessage(error.message());
        }
      }
      response.responses().add(result);
    }
    return response;
  }

  private static boolean byId(DeleteTopicState t) {
    return t.name() == null || !Uuid.ZERO_UUID.equals(t.topicId());
  }

  /** Null when deleted. */
  private ResultError deleteByName(String name, Caller caller) {
    if (!caller.may(Acl.Operation.DESCRIBE, Acl.ResourceType.TOPIC, name)) {
      return new ResultError(Errors.TOPIC_AUTHORIZATION_FAILED.code(), null);
    }
    try {
      topics.require(name);
      caller.require(Acl.Operation.DELETE, Acl.ResourceType.TOPIC, name);
      admin.delete(name);
      return null;
    } catch (BrokerException e) {
      return ResultError.of(errors, e, DURING);
    }
  }

  /** Null when deleted; names the topic in {@code result} when the caller may see it. */
  private ResultError deleteById(
      Uuid id, Map<Uuid, Topic> ids, Caller caller, DeletableTopicResult result) {
    Topic topic = ids.get(id);
    if (topic == null) {
      return new ResultError(Errors.UNKNOWN_TOPIC_ID.code(), "Topic id " + id + " not found.");
    }
    if (!caller.may(Acl.Operation.DESCRIBE, Acl.ResourceType.TOPIC, topic.name())) {
      return new ResultError(Errors.TOPIC_AUTHORIZATION_FAILED.code(), null);
    }
    result.setName(topic.name());
    return deleteByName(topic.name(), caller);
  }
}
