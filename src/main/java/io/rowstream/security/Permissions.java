package io.rowstream.security;

/**
 * The one ACL decision as the services see it: the {@link Authorizer} when authentication is on,
 * {@link #OPEN} when it is off (every request is {@link Principal#ANONYMOUS} and may do everything).
 * Services take it so that every door (HTTP, Kafka's protocol) applies the same rules.
 */
public interface Permissions {
  /** Authentication off: everything is allowed and everyone acts as a super user. */
  Permissions OPEN = new Permissions() {
    @Override
    public boolean authorize(
        Principal principal, String host, Acl.Operation op, Acl.ResourceType type, String name) {
      return true;
    }

    @Override
    public boolean isSuperUser(Principal principal) {
      return true;
    }

    @Override
    public Object version() {
      return Boolean.TRUE;
    }
  };

  /** Whether {@code principal}, calling from {@code host}, may perform {@code op} on the resource. */
  boolean authorize(
      Principal principal, String host, Acl.Operation op, Acl.ResourceType type, String name);

  /** Whether {@code principal} may do anything, whatever the ACLs say. */
  boolean isSuperUser(Principal principal);

  /**
   * A value equal to an earlier one exactly when the decisions have not changed since (the ACLs
   * as this node knows them), so that work that depends on them can be redone when they change.
   */
  Object version();
}
