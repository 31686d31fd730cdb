package io.rowstream.kafka.admin;

import io.rowstream.cluster.BrokerRegistry;
import io.rowstream.kafka.ApiHandler;
import io.rowstream.kafka.AuthorizedOperations;
import io.rowstream.kafka.KafkaNodes;
import io.rowstream.kafka.KafkaSession;
import io.rowstream.security.Acl;
import io.rowstream.security.Caller;
import java.util.Set;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBroker;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeClusterRequest;

/**
 * DescribeCluster: the cluster id, the controller and the nodes at their Kafka addresses, the same
 * view as Metadata ({@link KafkaNodes}). As Kafka answers, any caller may ask; the cluster's
 * authorized operations, when asked for, are those the caller may perform on the cluster if it may
 * DESCRIBE it, else none. Only the broker endpoint is served (v1's CONTROLLER endpoint type is
 * UNSUPPORTED_ENDPOINT_TYPE); no node is ever fenced, since an expired node leaves the list.
 */
final class DescribeClusterHandler implements ApiHandler<DescribeClusterRequest> {
  /** Kafka's cluster operations that Rowstream's ACLs know. */
  private static final Set<Acl.Operation> CLUSTER_OPERATIONS = Set.of(
      Acl.Operation.CREATE,
      Acl.Operation.ALTER,
      Acl.Operation.DESCRIBE,
      Acl.Operation.DESCRIBE_CONFIGS,
      Acl.Operation.ALTER_CONFIGS);

  private static final byte BROKER_ENDPOINT = 1;

  private final BrokerRegistry brokers;
  private final String clusterId;

  DescribeClusterHandler(BrokerRegistry brokers, String clusterId) {
    this.brokers = brokers;
    this.clusterId = clusterId;
  }

  @Override
  public ApiMessage handle(DescribeClusterRequest request, KafkaSession session) {
    DescribeClusterResponseData response = new DescribeClusterResponseData();
    if (request.data().endpointType() != BROKER_ENDPOINT) {
      return response
          .setErrorCode(Errors.UNSUPPORTED_ENDPOINT_TYPE.code())
          .setErrorMessage("The request was sent to an endpoint of type BROKER, but we wanted "
              + "an endpoint of type " + request.data().endpointType() + ".");
    }
    KafkaNodes view = KafkaNodes.of(brokers);
    response.setClusterId(clusterId).setControllerId(view.controller());
    view.addresses()
        .forEach((id, address) -> response
            .brokers()
            .add(new DescribeClusterBroker()
                .setBrokerId(id)
                .setHost(address.host())
                .setPort(address.port())));
    if (request.data().includeClusterAuthorizedOperations()) {
      response.setClusterAuthorizedOperations(authorizedOperations(session.caller()));
    }
    return response;
  }

  private static int authorizedOperations(Caller caller) {
    if (!caller.may(Acl.Operation.DESCRIBE, Acl.ResourceType.CLUSTER, Acl.CLUSTER_NAME)) {
      return 0;
    }
    return AuthorizedOperations.of(
        caller, Acl.ResourceType.CLUSTER, Acl.CLUSTER_NAME, CLUSTER_OPERATIONS);
  }
}
