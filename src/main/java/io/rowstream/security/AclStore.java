package io.rowstream.security;

import static io.rowstream.db.schema.Tables.ACL;

import io.rowstream.db.Tx;
import io.rowstream.db.schema.tables.records.AclRecord;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** All SQL on {@code acl}. */
final class AclStore {
  private final DSLContext dsl;

  AclStore(Tx tx) {
    this.dsl = tx.dsl();
  }

  List<Acl> all() {
    return dsl.selectFrom(ACL).orderBy(ACL.ACL_ID).fetch(AclStore::toAcl);
  }

  /** Adds a binding; false when the very same one exists already. */
  boolean insert(Acl acl) {
    return dsl.insertInto(ACL)
            .set(ACL.RESOURCE_TYPE, acl.resourceType().name())
            .set(ACL.RESOURCE_NAME, acl.resourceName())
            .set(ACL.PATTERN_TYPE, acl.patternType().name())
            .set(ACL.PRINCIPAL, acl.principal())
            .set(ACL.HOST, acl.host())
            .set(ACL.OPERATION, acl.operation().name())
            .set(ACL.PERMISSION, acl.permission().name())
            .onConflictDoNothing()
            .execute()
        == 1;
  }

  /**
   * Adds the bindings in one statement, so all of them or none; those that exist already (or are
   * named twice) are kept once. Returns how many are new.
   */
  int insertAll(List<Acl> acls) {
    if (acls.isEmpty()) {
      return 0;
    }
    var insert = dsl.insertInto(
        ACL,
        ACL.RESOURCE_TYPE,
        ACL.RESOURCE_NAME,
        ACL.PATTERN_TYPE,
        ACL.PRINCIPAL,
        ACL.HOST,
        ACL.OPERATION,
        ACL.PERMISSION);
    for (Acl acl : acls) {
      insert = insert.values(
          acl.resourceType().name(),
          acl.resourceName(),
          acl.patternType().name(),
          acl.principal(),
          acl.host(),
          acl.operation().name(),
          acl.permission().name());
    }
    return insert.onConflictDoNothing().execute();
  }

  /** Deletes the bindings that match every given field of the filter, and returns them. */
  List<Acl> delete(AclFilter filter) {
    return dsl.deleteFrom(ACL).where(condition(filter)).returning().fetch(AclStore::toAcl);
  }

  private static Condition condition(AclFilter f) {
    Condition c = DSL.trueCondition();
    c = f.resourceType().map(v -> ACL.RESOURCE_TYPE.eq(v.name())).map(c::and).orElse(c);
    c = f.resourceName().map(ACL.RESOURCE_NAME::eq).map(c::and).orElse(c);
    c = f.patternType().map(v -> ACL.PATTERN_TYPE.eq(v.name())).map(c::and).orElse(c);
    c = f.principal().map(ACL.PRINCIPAL::eq).map(c::and).orElse(c);
    c = f.host().map(ACL.HOST::eq).map(c::and).orElse(c);
    c = f.operation().map(v -> ACL.OPERATION.eq(v.name())).map(c::and).orElse(c);
    c = f.permission().map(v -> ACL.PERMISSION.eq(v.name())).map(c::and).orElse(c);
    return f.covering().map(AclStore::covering).map(c::and).orElse(c);
  }

  /** The bindings that apply to resources named {@code name}, as {@link Acl#coversName} decides. */
  private static Condition covering(String name) {
    Condition literal = ACL.PATTERN_TYPE
        .eq(Acl.PatternType.LITERAL.name())
        .and(ACL.RESOURCE_NAME.eq(name).or(ACL.RESOURCE_NAME.eq(Acl.WILDCARD)));
    Condition prefixed = ACL.PATTERN_TYPE
        .eq(Acl.PatternType.PREFIXED.name())
        .and(DSL.condition("starts_with({0}, {1})", DSL.val(name), ACL.RESOURCE_NAME));
    return literal.or(prefixed);
  }

  private static Acl toAcl(AclRecord r) {
    return new Acl(
        Acl.ResourceType.valueOf(r.getResourceType()),
        r.getResourceName(),
        Acl.PatternType.valueOf(r.getPatternType()),
        r.getPrincipal(),
        r.getHost(),
        Acl.Operation.valueOf(r.getOperation()),
        Acl.Permission.valueOf(r.getPermission()));
  }
}
