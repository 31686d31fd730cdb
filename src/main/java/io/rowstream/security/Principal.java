package io.rowstream.security;

/**
 * Who makes a request, in Kafka's form {@code User:<name>}: a Basic user, an API key's principal,
 * or a client certificate's subject.
 */
public record Principal(String name) {
  /** Everyone, when authentication is off. */
  public static final Principal ANONYMOUS = new Principal("ANONYMOUS");
  /**
   * Another node of this cluster, forwarding an append it already authorized. Only the cluster's
   * node secret yields this very instance (compared by reference in {@link Authorizer}), so a user
   * who happens to be named the same gains nothing.
   */
  public static final Principal NODE = new Principal("rowstream-node");

  public Principal {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a principal needs a name");
    }
  }

  /** The principal of its Kafka form {@code User:<name>} (as {@link #toString} writes it). */
  public static Principal of(String kafkaForm) {
    if (!kafkaForm.startsWith("User:")) {
      throw new IllegalArgumentException("a principal looks like User:<name>, got '" + kafkaForm + "'");
    }
    return new Principal(kafkaForm.substring("User:".length()));
  }

  /** {@code User:<name>}, as ACLs and super users name it. */
  @Override
  public String toString() {
    return "User:" + name;
  }
}
