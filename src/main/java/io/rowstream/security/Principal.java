package io.rowstream.security;

/**
 * Who makes a request. A user, in Kafka's form {@code User:<name>}: a Basic user, an API key's
 * principal, or a client certificate's subject. Or a node of this cluster ({@code Node:cluster}),
 * known by the cluster's node secret: a distinct kind that no ACL, super-user setting or user name
 * can name, and which may only append records forwarded to it (the internal append route).
 */
public record Principal(Kind kind, String name) {
  /** What kind of caller a principal is; the prefix of its string form. */
  public enum Kind {
    USER("User"),
    NODE("Node");

    private final String prefix;

    Kind(String prefix) {
      this.prefix = prefix;
    }
  }

  /** Everyone, when authentication is off. */
  public static final Principal ANONYMOUS = new Principal("ANONYMOUS");
  /** Another node of this cluster, forwarding an append that it already authorized. */
  public static final Principal NODE = new Principal(Kind.NODE, "cluster");

  public Principal {
    if (kind == null || name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a principal needs a kind and a name");
    }
  }

  /** A user. */
  public Principal(String name) {
    this(Kind.USER, name);
  }

  /** The user of its Kafka form {@code User:<name>} (as {@link #toString} writes it); never a node. */
  public static Principal of(String kafkaForm) {
    if (!kafkaForm.startsWith("User:")) {
      throw new IllegalArgumentException(
          "a principal looks like User:<name>, got '" + kafkaForm + "'");
    }
    return new Principal(kafkaForm.substring("User:".length()));
  }

  /** Whether this is a node of the cluster rather than a user. */
  public boolean isNode() {
    return kind == Kind.NODE;
  }

  /** {@code User:<name>}, as ACLs and super users name it; {@code Node:cluster} for a node. */
  @Override
  public String toString() {
    return kind.prefix + ":" + name;
  }
}
