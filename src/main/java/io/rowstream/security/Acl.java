package io.rowstream.security;

import java.util.Locale;

/**
 * One ACL binding, Kafka's model: {@code permission} to perform {@code operation} on the resources
 * {@code resourceType}/{@code resourceName} (with {@code patternType}) for {@code principal}
 * connecting from {@code host}.
 */
public record Acl(
    ResourceType resourceType,
    String resourceName,
    PatternType patternType,
    String principal,
    String host,
    Operation operation,
    Permission permission) {

  /** Name of the one cluster resource, as in Kafka. */
  public static final String CLUSTER_NAME = "kafka-cluster";
  /** A LITERAL resource name, a principal name or a host that matches everything. */
  public static final String WILDCARD = "*";

  public enum ResourceType {
    TOPIC,
    GROUP,
    CLUSTER
  }

  public enum PatternType {
    LITERAL,
    PREFIXED
  }

  public enum Permission {
    ALLOW,
    DENY
  }

  public enum Operation {
    ALL,
    READ,
    WRITE,
    CREATE,
    DELETE,
    ALTER,
    DESCRIBE,
    DESCRIBE_CONFIGS,
    ALTER_CONFIGS;

    /** Whether an ALLOW of this operation also allows {@code wanted} (Kafka's implied operations). */
    boolean allows(Operation wanted) {
      return this == wanted
          || this == ALL
          || (wanted == DESCRIBE
              && (this == READ || this == WRITE || this == DELETE || this == ALTER))
          || (wanted == DESCRIBE_CONFIGS && this == ALTER_CONFIGS);
    }
  }

  public Acl {
    if (resourceName == null || resourceName.isEmpty() || resourceName.length() > 255) {
      throw new IllegalArgumentException("resource_name must have 1 to 255 characters");
    }
    if (principal == null || !principal.startsWith("User:") || principal.length() == 5) {
      throw new IllegalArgumentException("principal must look like User:alice (or User:*)");
    }
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("host must be an IP address or *");
    }
    if (resourceType == ResourceType.CLUSTER && !resourceName.equals(CLUSTER_NAME)) {
      throw new IllegalArgumentException("the cluster resource is named " + CLUSTER_NAME);
    }
  }

  /** Whether this binding speaks of the named resource. */
  boolean covers(ResourceType type, String name) {
    return type == resourceType && coversName(name);
  }

  /** Whether this binding speaks of resources named {@code name}, of its own resource type. */
  boolean coversName(String name) {
    return switch (patternType) {
      case LITERAL -> resourceName.equals(WILDCARD) || resourceName.equals(name);
      case PREFIXED -> name.startsWith(resourceName);
    };
  }

  /** Whether this binding applies to {@code who} calling from {@code from}. */
  boolean appliesTo(String who, String from) {
    return (principal.equals(who) || principal.equals("User:" + WILDCARD))
        && (host.equals(WILDCARD) || host.equals(from));
  }

  /** Parses an enum constant case-insensitively, naming the field in the error. */
  public static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(field + " must be one of "
          + java.util.Arrays.toString(type.getEnumConstants()) + ", got '" + value + "'");
    }
  }
}
