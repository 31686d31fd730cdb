package io.rowstream.kafka.admin;

import io.rowstream.cluster.BrokerRegistry;
import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.kafka.ApiHandler;
import io.rowstream.kafka.KafkaErrors;
import io.rowstream.kafka.KafkaSession;
import io.rowstream.security.Acl;
import io.rowstream.security.Caller;
import io.rowstream.topic.TopicAdmin;
import io.rowstream.topic.TopicAdmin.ConfigChange;
import io.rowstream.topic.TopicAdmin.ConfigOperation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;

/**
 * IncrementalAlterConfigs: SET, DELETE, APPEND and SUBTRACT (list configs only) on a topic
 * ({@link TopicAdmin#alterConfigs(Caller, Map, boolean)}, which checks ALTER_CONFIGS on it) or on
 * the cluster-wide defaults (the broker resource with the empty name; ALTER_CONFIGS on the
 * cluster), all of a resource's changes or none, each resource on its own. A change named for one
 * broker id is refused (INVALID_CONFIG): no broker has configs of its own. Unknown configs and
 * illegal values are INVALID_CONFIG.
 */
final class IncrementalAlterConfigsHandler implements ApiHandler<IncrementalAlterConfigsRequest> {
  private static final String DURING = "IncrementalAlterConfigs";
  private final TopicAdmin admin;
  private final BrokerRegistry brokers;
  private final KafkaErrors errors;

  IncrementalAlterConfigsHandler(TopicAdmin admin, BrokerRegistry brokers, KafkaErrors errors) {
    this.admin = admin;
    this.brokers = brokers;
    this.errors = errors;
  }

  @Override
  public ApiMessage handle(IncrementalAlterConfigsRequest request, KafkaSession session) {
    Caller caller = session.caller();
    boolean validateOnly = request.data().validateOnly();
    IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData();
    for (AlterConfigsResource resource : request.data().resources()) {
      AlterConfigsResourceResponse result = new AlterConfigsResourceResponse()
          .setResourceType(resource.resourceType())
          .setResourceName(resource.resourceName())
          .setErrorCode(Errors.NONE.code());
      try {
        alter(resource, caller, validateOnly);
      } catch (BrokerException e) {
        ResultError error = ResultError.of(errors, e, DURING);
        result.setErrorCode(error.code()).setErrorMessage(error.message());
      }
      response.responses().add(result);
    }
    return response;
  }

  private void alter(AlterConfigsResource resource, Caller caller, boolean validateOnly) {
    String name = resource.resourceName();
    switch (ConfigResource.Type.forId(resource.resourceType())) {
      case TOPIC -> {
        caller.require(Acl.Operation.ALTER_CONFIGS, Acl.ResourceType.TOPIC, name);
        admin.alterConfigs(caller, Map.of(name, changes(resource)), validateOnly);
      }
      case BROKER -> {
        BrokerResource.requireDefaultsChange(name, caller, brokers, admin, changes(resource));
        admin.alterClusterDefaults(changes(resource), validateOnly);
      }
      default -> throw BrokerResource.unsupported(resource.resourceType(), "alters");
    }
  }

  private static List<ConfigChange> changes(AlterConfigsResource resource) {
    List<ConfigChange> changes = new ArrayList<>();
    for (AlterableConfig c : resource.configs()) {
      changes.add(new ConfigChange(c.name(), operation(c), c.value()));
    }
    return changes;
  }

  private static ConfigOperation operation(AlterableConfig c) {
    AlterConfigOp.OpType op = AlterConfigOp.OpType.forId(c.configOperation());
    if (op == null) {
      throw new BrokerException(
          BrokerError.INVALID_REQUEST,
          "Unknown config operation " + c.configOperation() + " for config " + c.name() + ".");
    }
    return ConfigOperation.valueOf(op.name());
  }
}
