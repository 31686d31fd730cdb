package io.rowstream.consumer;

import static io.rowstream.db.schema.Tables.CONSUMER_GROUP;
import static io.rowstream.db.schema.Tables.CONSUMER_INSTANCE;

import io.rowstream.db.AdvisoryLocks;
import io.rowstream.security.Caller;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The insert of a new {@code consumer_instance} row within the {@link ConsumerCaps}, exact under
 * any number of concurrent creates on any number of nodes: one transaction takes the owner's
 * transaction advisory lock, then the group row {@code FOR UPDATE}, counts, and inserts. Every
 * create takes the two locks in that order (a rebalance takes only the group row), so creates of
 * one principal, or in one group, run one after the other and none can deadlock.
 */
final class ConsumerInstanceInsert {
  /** What an insert found. */
  enum Outcome { CREATED, EXISTS, GROUP_FULL, PRINCIPAL_FULL, PRINCIPAL_GROUPS_FULL }

  private final DSLContext dsl;

  ConsumerInstanceInsert(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** Inserts the instance, owned by {@code owner}, with a fresh lease, unless a cap or its id is taken. */
  Outcome insert(ConsumerInstance instance, Caller owner, ConsumerCaps caps) {
    String group = instance.group();
    String principal = owner.principal().toString();
    return dsl.transactionResult(tx -> {
      DSLContext t = tx.dsl();
      t.select(DSL.field("pg_advisory_xact_lock({0}, hashtext({1}))", Object.class,
          DSL.val(AdvisoryLocks.CONSUMER_PRINCIPAL_CLASS), DSL.val(principal))).fetch();
      if (t.selectOne().from(CONSUMER_GROUP).where(CONSUMER_GROUP.GROUP_NAME.eq(group)).forUpdate().fetch().isEmpty()) {
        throw new IllegalStateException("group " + group + " has no row at create, which indicates a bug");
      }
      if (t.fetchExists(CONSUMER_INSTANCE, CONSUMER_INSTANCE.GROUP_NAME.eq(group),
          CONSUMER_INSTANCE.INSTANCE_ID.eq(instance.id()))) {
        return Outcome.EXISTS;
      }
      if (t.fetchCount(CONSUMER_INSTANCE, CONSUMER_INSTANCE.GROUP_NAME.eq(group)) >= caps.perGroup()) {
        return Outcome.GROUP_FULL;
      }
      if (t.fetchCount(CONSUMER_INSTANCE, CONSUMER_INSTANCE.OWNER_PRINCIPAL.eq(principal)) >= caps.perPrincipal()) {
        return Outcome.PRINCIPAL_FULL;
      }
      boolean newGroupForOwner = !t.fetchExists(CONSUMER_INSTANCE, CONSUMER_INSTANCE.OWNER_PRINCIPAL.eq(principal),
          CONSUMER_INSTANCE.GROUP_NAME.eq(group));
      if (newGroupForOwner && t.fetchCount(t.selectDistinct(CONSUMER_INSTANCE.GROUP_NAME).from(CONSUMER_INSTANCE)
          .where(CONSUMER_INSTANCE.OWNER_PRINCIPAL.eq(principal))) >= caps.groupsPerPrincipal()) {
        return Outcome.PRINCIPAL_GROUPS_FULL;
      }
      t.insertInto(CONSUMER_INSTANCE)
          .set(CONSUMER_INSTANCE.GROUP_NAME, group)
          .set(CONSUMER_INSTANCE.INSTANCE_ID, instance.id())
          .set(CONSUMER_INSTANCE.MEMBER_ID, instance.memberId())
          .set(CONSUMER_INSTANCE.OWNER_PRINCIPAL, principal)
          .set(CONSUMER_INSTANCE.OWNER_HOST, owner.host())
          .set(CONSUMER_INSTANCE.SESSION_TIMEOUT_MS, instance.sessionTimeoutMs())
          .set(CONSUMER_INSTANCE.LEASE_EXPIRES_AT, ConsumerInstanceStore.renewedLease(DSL.val(instance.sessionTimeoutMs())))
          .set(CONSUMER_INSTANCE.ASSIGNMENT_STRATEGY, instance.assignmentStrategy())
          .set(CONSUMER_INSTANCE.FORMAT, instance.format().configName())
          .set(CONSUMER_INSTANCE.AUTO_OFFSET_RESET, instance.autoOffsetReset().configName())
          .set(CONSUMER_INSTANCE.AUTO_COMMIT_ENABLE, instance.autoCommitEnable())
          .set(CONSUMER_INSTANCE.FETCH_MIN_BYTES, instance.fetchMinBytes())
          .set(CONSUMER_INSTANCE.REQUEST_TIMEOUT_MS, instance.requestTimeoutMs())
          .execute();
      return Outcome.CREATED;
    });
  }
}
