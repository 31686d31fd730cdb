package io.rowstream.group;

import static io.rowstream.db.schema.Tables.CONSUMER_INSTANCE;

import io.rowstream.security.Caller;
import org.jooq.Condition;
import org.jooq.impl.DSL;

/**
 * Who may act on a consumer instance: the principal that created it, or a super user. Any other
 * caller finds no instance (40403), exactly as if it did not exist, and does not renew its lease.
 */
public final class InstanceOwner {
  private InstanceOwner() {}

  /** The condition on {@code consumer_instance} rows {@code caller} may act on. */
  public static Condition actsOn(Caller caller) {
    return caller.isSuperUser()
        ? DSL.trueCondition()
        : CONSUMER_INSTANCE.OWNER_PRINCIPAL.eq(caller.principal().toString());
  }
}
