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
  private final Authorizer authorizer;
  private final String host;

  Access(Principal principal, Authorizer authorizer, String host) {
    this.principal = principal;
    this.authorizer = authorizer;
    this.host = host;
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
    return authorizer == null ? Caller.ANONYMOUS : new Caller(principal, host, authorizer);
  }

  boolean permits(Acl.Operation op, Acl.ResourceType type, String name) {
    return caller().may(op, type, name);
  }

  /** Whether the caller may see that a topic exists (Kafka's DESCRIBE, implied by READ, WRITE, …). */
  boolean mayDescribeTopic(String topic) {
    return permits(Acl.Operation.DESCRIBE, Acl.ResourceType.TOPIC, topic);
  }

  /** Refuses the request (403, 40301) unless the principal may perform {@code op} on the resource. */
  void require(Acl.Operation op, Acl.ResourceType type, String name) {
    caller().require(op, type, name);
  }
}
