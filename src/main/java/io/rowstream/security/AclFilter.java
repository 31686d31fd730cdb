package io.rowstream.security;

import java.util.Optional;

/**
 * Which bindings to list or delete: an empty field matches anything (REST Proxy v3 acls query).
 *
 * @param resourceName the bindings of exactly this resource name
 * @param covering the bindings that apply to the resource so named, whatever their own name: a
 *     LITERAL binding of that name or of {@code *}, a PREFIXED binding of a prefix of it (Kafka's
 *     {@code MATCH} pattern filter)
 */
public record AclFilter(
    Optional<Acl.ResourceType> resourceType,
    Optional<String> resourceName,
    Optional<Acl.PatternType> patternType,
    Optional<String> principal,
    Optional<String> host,
    Optional<Acl.Operation> operation,
    Optional<Acl.Permission> permission,
    Optional<String> covering) {

  /** A filter without {@code covering}. */
  public AclFilter(
      Optional<Acl.ResourceType> resourceType,
      Optional<String> resourceName,
      Optional<Acl.PatternType> patternType,
      Optional<String> principal,
      Optional<String> host,
      Optional<Acl.Operation> operation,
      Optional<Acl.Permission> permission) {
    this(
        resourceType,
        resourceName,
        patternType,
        principal,
        host,
        operation,
        permission,
        Optional.empty());
  }

  boolean matches(Acl acl) {
    return resourceType.map(v -> v == acl.resourceType()).orElse(true)
        && resourceName.map(acl.resourceName()::equals).orElse(true)
        && patternType.map(v -> v == acl.patternType()).orElse(true)
        && principal.map(acl.principal()::equals).orElse(true)
        && host.map(acl.host()::equals).orElse(true)
        && operation.map(v -> v == acl.operation()).orElse(true)
        && permission.map(v -> v == acl.permission()).orElse(true)
        && covering.map(acl::coversName).orElse(true);
  }
}
