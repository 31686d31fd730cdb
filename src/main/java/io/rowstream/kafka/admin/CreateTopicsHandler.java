package io.rowstream.kafka.admin;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.kafka.ApiHandler;
import io.rowstream.kafka.KafkaErrors;
import io.rowstream.kafka.KafkaIds;
import io.rowstream.kafka.KafkaSession;
import io.rowstream.security.Acl;
import io.rowstream.security.Caller;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicAdmin;
import io.rowstream.topic.TopicAdmin.ConfigValue;
import io.rowstream.topic.TopicAdmin.NewTopic;
import io.rowstream.topic.TopicConfig;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicConfigs;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateTopicsRequest;

/**
 * CreateTopics: each topic is created (or with validate_only only checked) by
 * {@link TopicAdmin#create}, which checks CREATE on the cluster or the topic and every rule; each
 * topic succeeds or fails on its own with Kafka's error. A name given twice is INVALID_REQUEST.
 * From v5 a created topic carries its partition count, replication factor and every config with
 * its value and source, when the caller may DESCRIBE_CONFIGS it (else its
 * {@code topic_config_error_code} is TOPIC_AUTHORIZATION_FAILED, as Kafka answers); from v7 its id.
 * Manual replica assignments are refused (INVALID_REQUEST): Rowstream places partitions itself.
 */
final class CreateTopicsHandler implements ApiHandler<CreateTopicsRequest> {
  private static final String DURING = "CreateTopics";
  private final TopicAdmin admin;
  private final KafkaErrors errors;

  CreateTopicsHandler(TopicAdmin admin, KafkaErrors errors) {
    this.admin = admin;
    this.errors = errors;
  }

  @Override
  public ApiMessage handle(CreateTopicsRequest request, KafkaSession session) {
    Caller caller = session.caller();
    short version = request.version();
    boolean validateOnly = request.data().validateOnly();
    CreateTopicsResponseData response = new CreateTopicsResponseData();
    Set<String> twice = Duplicates.of(request.data().topics(), CreatableTopic::name);
    for (String name : twice) {
      response
          .topics()
          .add(failed(name, ResultError.invalidRequest(errors, "Duplicate topic name.", DURING)));
    }
    for (CreatableTopic asked : request.data().topics()) {
      if (twice.contains(asked.name())) {
        continue;
      }
      try {
        Topic topic = admin.create(caller, newTopic(asked), validateOnly);
        response.topics().add(created(topic, caller, version));
      } catch (BrokerException e) {
        response.topics().add(failed(asked.name(), ResultError.of(errors, e, DURING)));
      }
    }
    return response;
  }

  private static NewTopic newTopic(CreatableTopic asked) {
    if (!asked.assignments().isEmpty()) {
      throw new BrokerException(
          BrokerError.INVALID_REQUEST,
          "Manual replica assignments are not supported: Rowstream places partitions itself. "
              + "Give the partition count (and replication factor) instead.");
    }
    List<ConfigValue> configs =
        asked.configs().stream().map(c -> new ConfigValue(c.name(), c.value())).toList();
    return new NewTopic(
        asked.name(),
        asked.numPartitions() == -1 ? null : asked.numPartitions(),
        (int) asked.replicationFactor(),
        configs);
  }

  private static CreatableTopicResult failed(String name, ResultError error) {
    return new CreatableTopicResult()
        .setName(name)
        .setErrorCode(error.code())
        .setErrorMessage(error.message());
  }

  private static CreatableTopicResult created(Topic topic, Caller caller, short version) {
    CreatableTopicResult result =
        new CreatableTopicResult().setName(topic.name()).setErrorCode(Errors.NONE.code());
    if (version >= 7) {
      result.setTopicId(KafkaIds.of(topic));
    }
    if (version >= 5) {
      result.setNumPartitions(topic.partitionCount()).setReplicationFactor((short)
          topic.replicationFactor());
      if (caller.may(Acl.Operation.DESCRIBE_CONFIGS, Acl.ResourceType.TOPIC, topic.name())) {
        for (TopicConfig c : TopicConfig.sortedByName()) {
          result
              .configs()
              .add(new CreatableTopicConfigs()
                  .setName(c.kafkaName())
                  .setValue(topic.config(c))
                  .setReadOnly(false)
                  .setConfigSource(KafkaConfigs.source(topic.source(c)))
                  .setIsSensitive(false));
        }
      } else {
        result.setTopicConfigErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
      }
    }
    return result;
  }
}
