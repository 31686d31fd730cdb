package io.rowstream.kafka.admin;

import io.rowstream.cluster.BrokerRegistry;
import io.rowstream.error.BrokerException;
import io.rowstream.kafka.ApiHandler;
import io.rowstream.kafka.KafkaErrors;
import io.rowstream.kafka.KafkaSession;
import io.rowstream.security.Caller;
import io.rowstream.topic.TopicAdmin;
import io.rowstream.topic.TopicAdmin.ConfigChange;
import io.rowstream.topic.TopicAdmin.ConfigOperation;
import io.rowstream.topic.TopicAdmin.ConfigValue;
import java.util.List;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.AlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterConfigsRequest;

/**
 * The legacy AlterConfigs, with Kafka's full-replace semantics: a resource's configs become exactly
 * those given, every other override is removed ({@link TopicAdmin#replaceConfigs},
 * {@link TopicAdmin#replaceClusterDefaults} for the broker resource with the empty name). Each
 * resource succeeds or fails on its own; a change named for one broker id is refused
 * (INVALID_CONFIG): no broker has configs of its own. ALTER_CONFIGS on the topic, or on the cluster
 * for brokers.
 */
final class AlterConfigsHandler implements ApiHandler<AlterConfigsRequest> {
  private static final String DURING = "AlterConfigs";
  private final TopicAdmin admin;
  private final BrokerRegistry brokers;
  private final KafkaErrors errors;

  AlterConfigsHandler(TopicAdmin admin, BrokerRegistry brokers, KafkaErrors errors) {
    this.admin = admin;
    this.brokers = brokers;
    this.errors = errors;
  }

  @Override
  public ApiMessage handle(AlterConfigsRequest request, KafkaSession session) {
    Caller caller = session.caller();
    boolean validateOnly = request.data().validateOnly();
    AlterConfigsResponseData response = new AlterConfigsResponseData();
    for (AlterConfigsResource resource : request.data().resources()) {
      AlterConfigsResourceResponse result = new AlterConfigsResourceResponse()
          .setResourceType(resource.resourceType())
          .setResourceName(resource.resourceName())
          .setErrorCode(Errors.NONE.code());
      List<ConfigValue> configs = resource.configs().stream()
          .map(c -> new ConfigValue(c.name(), c.value()))
          .toList();
      try {
        replace(resource, configs, caller, validateOnly);
      } catch (BrokerException e) {
        ResultError error = ResultError.of(errors, e, DURING);
        result.setErrorCode(error.code()).setErrorMessage(error.message());
      }
      response.responses().add(result);
    }
    return response;
  }

  private void replace(
      AlterConfigsResource resource,
      List<ConfigValue> configs,
      Caller caller,
      boolean validateOnly) {
    String name = resource.resourceName();
    switch (ConfigResource.Type.forId(resource.resourceType())) {
      case TOPIC -> admin.replaceConfigs(caller, name, configs, validateOnly);
      case BROKER -> {
        BrokerResource.requireDefaultsChange(
            name,
            caller,
            brokers,
            admin,
            configs.stream()
                .map(c -> new ConfigChange(c.name(), ConfigOperation.SET, c.value()))
                .toList());
        admin.replaceClusterDefaults(configs, validateOnly);
      }
      default -> throw BrokerResource.unsupported(resource.resourceType(), "alters");
    }
  }
}
