package io.rowstream.security;

import io.rowstream.BrokerError;
import io.rowstream.BrokerException;

/**
 * Who calls a service, from where, and what the ACLs let them do. A door builds one per request
 * after authentication; a service asks it before it acts on a resource.
 */
public record Caller(Principal principal, String host, Permissions permissions) {
  /** Authentication off: {@link Principal#ANONYMOUS}, allowed everything. */
  public static final Caller ANONYMOUS = new Caller(Principal.ANONYMOUS, Acl.WILDCARD, Permissions.OPEN);

  /** Whether the caller may Read {@code topic} now. */
  public boolean mayRead(String topic) {
    return permissions.authorize(principal, host, Acl.Operation.READ, Acl.ResourceType.TOPIC, topic);
  }

  /** Refuses with TOPIC_AUTHORIZATION_FAILED (403 / 40301) unless the caller may Read {@code topic}. */
  public void requireRead(String topic) {
    if (!mayRead(topic)) {
      throw new BrokerException(BrokerError.TOPIC_AUTHORIZATION_FAILED, "Not authorized: " + principal
          + " may not READ TOPIC " + topic + ".");
    }
  }

  /** Refuses with GROUP_AUTHORIZATION_FAILED (403 / 40301) unless the caller may Read {@code group}. */
  public void requireGroupRead(String group) {
    if (!permissions.authorize(principal, host, Acl.Operation.READ, Acl.ResourceType.GROUP, group)) {
      throw new BrokerException(BrokerError.GROUP_AUTHORIZATION_FAILED, "Not authorized: " + principal
          + " may not READ GROUP " + group + ".");
    }
  }

  /** Whether the caller may act on what another principal owns (a super user). */
  public boolean isSuperUser() {
    return permissions.isSuperUser(principal);
  }
}
