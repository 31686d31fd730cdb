package io.rowstream.kafka.groups;

import io.rowstream.cluster.BrokerInfo;
import io.rowstream.cluster.BrokerRegistry;
import io.rowstream.kafka.ApiHandler;
import io.rowstream.kafka.KafkaNodes;
import io.rowstream.kafka.KafkaSession;
import io.rowstream.security.Acl;
import io.rowstream.security.Caller;
import java.util.List;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData.Coordinator;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorRequest.CoordinatorType;

/**
 * FindCoordinator, one key (v0..3) or a batch of them (v4+). A group's coordinator is the node
 * asked: every node coordinates any group from the shared rows ({@code consumer_group} locks,
 * {@code committed_offset}), so no node is more right than another, and the answer needs no
 * placement that could go stale; when that node dies, the client asks another live node and gets
 * that one. Kafka's checks: DESCRIBE on the group (GROUP_AUTHORIZATION_FAILED). A transactional id
 * is answered INVALID_TXN_STATE, the error InitProducerId answers it with: Rowstream has no
 * transactions, and a retriable COORDINATOR_NOT_AVAILABLE (what Kafka answers while its transaction
 * log is unavailable) would keep a producer waiting for nothing. Share groups (key type 2) and
 * unknown key types are INVALID_REQUEST, as Kafka answers them with share groups off.
 */
final class FindCoordinatorHandler implements ApiHandler<FindCoordinatorRequest> {
  private static final short BATCHED_VERSION = 4;

  private final int nodeId;
  private final BrokerRegistry brokers;

  FindCoordinatorHandler(int nodeId, BrokerRegistry brokers) {
    this.nodeId = nodeId;
    this.brokers = brokers;
  }

  @Override
  public ApiMessage handle(FindCoordinatorRequest request, KafkaSession session) {
    Caller caller = session.caller();
    byte keyType = request.data().keyType();
    BrokerInfo.KafkaAddress self = KafkaNodes.of(brokers).addresses().get(nodeId);
    FindCoordinatorResponseData response = new FindCoordinatorResponseData();
    if (request.version() < BATCHED_VERSION) {
      Coordinator c = coordinator(caller, keyType, request.data().key(), self);
      return response
          .setErrorCode(c.errorCode())
          .setErrorMessage(c.errorMessage())
          .setNodeId(c.nodeId())
          .setHost(c.host())
          .setPort(c.port());
    }
    List<String> keys = request.data().coordinatorKeys();
    keys.forEach(key -> response.coordinators().add(coordinator(caller, keyType, key, self)));
    return response;
  }

  private Coordinator coordinator(
      Caller caller, byte keyType, String key, BrokerInfo.KafkaAddress self) {
    Coordinator c = new Coordinator().setKey(key).setNodeId(-1).setHost("").setPort(-1);
    if (keyType == CoordinatorType.TRANSACTION.id()) {
      return refused(
          c,
          Errors.INVALID_TXN_STATE,
          "Transactional producers are not supported: Rowstream has no transactions yet "
              + "(transactional.id " + key + ").");
    }
    if (keyType != CoordinatorType.GROUP.id()) {
      return refused(c, Errors.INVALID_REQUEST, "Only group coordinators are served.");
    }
    if (!caller.may(Acl.Operation.DESCRIBE, Acl.ResourceType.GROUP, key)) {
      return refused(c, Errors.GROUP_AUTHORIZATION_FAILED, null);
    }
    if (self == null) { // this node is not (or no longer) listed as live with a Kafka listener
      return refused(c, Errors.COORDINATOR_NOT_AVAILABLE, null);
    }
    return c.setNodeId(nodeId)
        .setHost(self.host())
        .setPort(self.port())
        .setErrorCode(Errors.NONE.code());
  }

  private static Coordinator refused(Coordinator c, Errors error, String message) {
    return c.setErrorCode(error.code())
        .setErrorMessage(message == null ? error.message() : message);
  }
}
