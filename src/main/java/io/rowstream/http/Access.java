package io.rowstream.http;

import io.javalin.http.Context;
import io.rowstream.security.Acl;
import io.rowstream.security.Authorizer;
import io.rowstream.security.Caller;
import io.rowstream.security.Principal;

/**
 * What the caller of one request may do: its principal and the ACL decision, set on the request
 * by {@link AccessControl}. With authentication off every request may do everything.
 */
final class Access {
  static final String ATTRIBUTE = "rowstream.access";
  private static final Access EVERYTHING = new Access(Principal.ANONYMOUS, null, "");

  private final Principal principal;
  private final Caller caller;

  Access(Principal principal, Authorizer authorizer, String host) {
    this.principal = principal;
    this.caller = authorizer == null ? Caller.ANONYMOUS : new Caller(principal, host, authorizer);
  }

  static Access of(Context ctx) {
    Access access = ctx.attribute(ATTRIBUTE);
    return access == null ? EVERYTHING : access;
  }

  Principal principal() {
    return principal;
  }

  /** The caller as services see it, to apply the rules every door shares. */
  Caller caller() {
    return caller;
  }

  /** Whether the caller may perform {@code op} on the resource: the authorizer's decision. */
  boolean permits(Acl.Operation op, Acl.ResourceType type, String name) {
    return caller.may(op, type, name);
  }

  /** Whether the caller may see that a topic exists (Kafka's DESCRIBE, implied by READ, WRITE, …). */
  boolean mayDescribeTopic(String topic) {
    return permits(Acl.Operation.DESCRIBE, Acl.ResourceType.TOPIC, topic);
  }

  /** Refuses the request (403 / 40301, {@link Caller#require}) unless the caller may perform {@code op}. */
  void require(Acl.Operation op, Acl.ResourceType type, String name) {
    caller.require(op, type, name);
  }
}
