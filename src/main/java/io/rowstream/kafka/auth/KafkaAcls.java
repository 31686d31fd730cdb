package io.rowstream.kafka.auth;

import io.rowstream.security.Acl;
import io.rowstream.security.AclFilter;
import java.util.Arrays;
import java.util.Optional;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Kafka's ACL bindings and filters as Rowstream's {@link Acl} and {@link AclFilter}, and back. The
 * names agree (Rowstream keeps Kafka's); Rowstream keeps bindings on TOPIC, GROUP and CLUSTER
 * resources and of the operations its authorizer decides, so a binding of anything else cannot be
 * created and a filter naming only such things matches nothing.
 */
final class KafkaAcls {
  private KafkaAcls() {}

  /**
   * The binding Rowstream keeps for {@code binding}.
   *
   * @throws InvalidRequestException with Kafka's reason (or Rowstream's) when it cannot be kept
   */
  static Acl toAcl(AclBinding binding) {
    ResourcePattern pattern = binding.pattern();
    AccessControlEntry entry = binding.entry();
    if (pattern.resourceType() == ResourceType.ANY
        || pattern.resourceType() == ResourceType.UNKNOWN) {
      throw new InvalidRequestException("Invalid resourceType " + pattern.resourceType());
    }
    if (pattern.patternType() != PatternType.LITERAL
        && pattern.patternType() != PatternType.PREFIXED) {
      throw new InvalidRequestException("Invalid patternType " + pattern.patternType());
    }
    if (entry.operation() == AclOperation.ANY || entry.operation() == AclOperation.UNKNOWN) {
      throw new InvalidRequestException("Invalid operation " + entry.operation());
    }
    if (entry.permissionType() != AclPermissionType.ALLOW
        && entry.permissionType() != AclPermissionType.DENY) {
      throw new InvalidRequestException("Invalid permissionType " + entry.permissionType());
    }
    if (pattern.resourceType() == ResourceType.CLUSTER
        && !Acl.CLUSTER_NAME.equals(pattern.name())) {
      throw new InvalidRequestException(
          "The only valid name for the CLUSTER resource is " + Acl.CLUSTER_NAME);
    }
    if (pattern.name().isEmpty()) {
      throw new InvalidRequestException("Invalid empty resource name");
    }
    Acl.ResourceType type = rowstream(Acl.ResourceType.class, pattern.resourceType())
        .orElseThrow(() -> new InvalidRequestException("Rowstream keeps ACLs on TOPIC, GROUP and "
            + "CLUSTER resources, not " + pattern.resourceType()));
    Acl.Operation operation = rowstream(Acl.Operation.class, entry.operation())
        .orElseThrow(() -> new InvalidRequestException("Rowstream's authorizer does not decide "
            + "the operation " + entry.operation() + "; the operations it decides are "
            + Arrays.toString(Acl.Operation.values())));
    try {
      return new Acl(
          type,
          pattern.name(),
          Acl.PatternType.valueOf(pattern.patternType().name()),
          entry.principal(),
          entry.host(),
          operation,
          Acl.Permission.valueOf(entry.permissionType().name()));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(e.getMessage());
    }
  }

  static AclBinding toKafka(Acl acl) {
    return new AclBinding(
        new ResourcePattern(
            ResourceType.valueOf(acl.resourceType().name()),
            acl.resourceName(),
            PatternType.valueOf(acl.patternType().name())),
        new AccessControlEntry(
            acl.principal(),
            acl.host(),
            AclOperation.valueOf(acl.operation().name()),
            AclPermissionType.valueOf(acl.permission().name())));
  }

  /**
   * Rowstream's filter for {@code filter}, with Kafka's semantics: ANY (or a null name, principal
   * or host) matches everything; a name with ANY matches bindings of exactly that name, with
   * LITERAL or PREFIXED those of that name and pattern type, with MATCH every binding that applies
   * to the resource so named ({@link AclFilter#covering}). Empty when the filter can match no
   * binding Rowstream keeps (a resource type or operation it keeps none of).
   *
   * @throws InvalidRequestException for a filter with UNKNOWN elements
   */
  static Optional<AclFilter> toFilter(AclBindingFilter filter) {
    if (filter.isUnknown()) {
      throw new InvalidRequestException("The filter has UNKNOWN elements: " + filter);
    }
    ResourcePatternFilter pattern = filter.patternFilter();
    AccessControlEntryFilter entry = filter.entryFilter();
    Optional<Acl.ResourceType> type = Optional.empty();
    if (pattern.resourceType() != ResourceType.ANY) {
      type = rowstream(Acl.ResourceType.class, pattern.resourceType());
      if (type.isEmpty()) {
        return Optional.empty();
      }
    }
    Optional<Acl.Operation> operation = Optional.empty();
    if (entry.operation() != AclOperation.ANY) {
      operation = rowstream(Acl.Operation.class, entry.operation());
      if (operation.isEmpty()) {
        return Optional.empty();
      }
    }
    Optional<String> name = Optional.ofNullable(pattern.name());
    boolean match = pattern.patternType() == PatternType.MATCH;
    return Optional.of(new AclFilter(
        type,
        match ? Optional.empty() : name,
        switch (pattern.patternType()) {
          case LITERAL -> Optional.of(Acl.PatternType.LITERAL);
          case PREFIXED -> Optional.of(Acl.PatternType.PREFIXED);
          default -> Optional.empty();
        },
        Optional.ofNullable(entry.principal()),
        Optional.ofNullable(entry.host()),
        operation,
        entry.permissionType() == AclPermissionType.ANY
            ? Optional.empty()
            : Optional.of(Acl.Permission.valueOf(entry.permissionType().name())),
        match ? name : Optional.empty()));
  }

  /** The Rowstream constant of the same name as a Kafka constant, if Rowstream has one. */
  private static <E extends Enum<E>> Optional<E> rowstream(Class<E> type, Enum<?> kafka) {
    return Arrays.stream(type.getEnumConstants())
        .filter(c -> c.name().equals(kafka.name()))
        .findFirst();
  }
}
