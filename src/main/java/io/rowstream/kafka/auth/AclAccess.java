package io.rowstream.kafka.auth;

import io.rowstream.kafka.KafkaSession;
import io.rowstream.security.Acl;
import io.rowstream.security.Security;
import java.util.Optional;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractRequest;

/**
 * Who may use the ACL APIs, as Kafka decides it: without an authorizer (authentication off) every
 * call is answered SECURITY_DISABLED; otherwise the caller needs {@code op} on the cluster
 * (CLUSTER_AUTHORIZATION_FAILED, thrown as the broker error and rendered by the dispatcher).
 */
final class AclAccess {
  private final Security security;

  AclAccess(Security security) {
    this.security = security;
  }

  /** The whole answer when the call may not proceed without an authorizer; empty otherwise. */
  Optional<ApiMessage> refusal(AbstractRequest request, KafkaSession session, Acl.Operation op) {
    if (!security.enabled()) {
      return Optional.of(request
          .getErrorResponse(0, new SecurityDisabledException("No Authorizer is configured."))
          .data());
    }
    session.caller().require(op, Acl.ResourceType.CLUSTER, Acl.CLUSTER_NAME);
    return Optional.empty();
  }
}
