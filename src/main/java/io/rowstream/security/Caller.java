package io.rowstream.security;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;

/**
 * Who calls a service, from where, and what the ACLs let them do. A door builds one per request
 * after authentication; a service asks it before it acts on a resource.
 */
public record Caller(Principal principal, String host, Permissions permissions) {
  /** Authentication off: {@link Principal#ANONYMOUS}, allowed everything. */
  public static final Caller ANONYMOUS =
      new Caller(Principal.ANONYMOUS, Acl.WILDCARD, Permissions.OPEN);

  /**
   * Whether the caller may perform {@code op} on the resource now: the one ACL decision every door
   * asks ({@link Permissions#authorize}), with Kafka's semantics.
   */
  public boolean may(Acl.Operation op, Acl.ResourceType type, String name) {
    return permissions.authorize(principal, host, op, type, name);
  }

  /**
   * Refuses unless the caller may perform {@code op} on the resource, with the resource type's
   * authorization error (TOPIC_, GROUP_ or CLUSTER_AUTHORIZATION_FAILED; 403 / 40301 over HTTP).
   */
  public void require(Acl.Operation op, Acl.ResourceType type, String name) {
    if (!may(op, type, name)) {
      throw new BrokerException(
          refusal(type),
          "Not authorized: " + principal + " may not " + op + " " + type + " " + name + ".");
    }
  }

  /** Whether the caller may Read {@code topic} now. */
  public boolean mayRead(String topic) {
    return may(Acl.Operation.READ, Acl.ResourceType.TOPIC, topic);
  }

  /** Refuses with TOPIC_AUTHORIZATION_FAILED (403 / 40301) unless the caller may Read {@code topic}. */
  public void requireRead(String topic) {
    require(Acl.Operation.READ, Acl.ResourceType.TOPIC, topic);
  }

  /** Refuses with GROUP_AUTHORIZATION_FAILED (403 / 40301) unless the caller may Read {@code group}. */
  public void requireGroupRead(String group) {
    require(Acl.Operation.READ, Acl.ResourceType.GROUP, group);
  }

  private static BrokerError refusal(Acl.ResourceType type) {
    return switch (type) {
      case TOPIC -> BrokerError.TOPIC_AUTHORIZATION_FAILED;
      case GROUP -> BrokerError.GROUP_AUTHORIZATION_FAILED;
      case CLUSTER -> BrokerError.CLUSTER_AUTHORIZATION_FAILED;
    };
  }

  /** Whether the caller may act on what another principal owns (a super user). */
  public boolean isSuperUser() {
    return permissions.isSuperUser(principal);
  }
}
