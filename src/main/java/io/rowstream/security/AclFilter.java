package io.rowstream.security;

import java.util.Optional;

/** Which bindings to list or delete: an empty field matches anything (REST Proxy v3 acls query). */
public record AclFilter(
    Optional<Acl.ResourceType> resourceType,
    Optional<String> resourceName,
    Optional<Acl.PatternType> patternType,
    Optional<String> principal,
    Optional<String> host,
    Optional<Acl.Operation> operation,
    Optional<Acl.Permission> permission) {

  boolean matches(Acl acl) {
    return resourceType.map(v -> v == acl.resourceType()).orElse(true)
        && resourceName.map(acl.resourceName()::equals).orElse(true)
        && patternType.map(v -> v == acl.patternType()).orElse(true)
        && principal.map(acl.principal()::equals).orElse(true)
        && host.map(acl.host()::equals).orElse(true)
        && operation.map(v -> v == acl.operation()).orElse(true)
        && permission.map(v -> v == acl.permission()).orElse(true);
  }
}
