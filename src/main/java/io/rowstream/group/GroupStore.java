package io.rowstream.group;

import static io.rowstream.db.schema.Tables.CONSUMER_GROUP;

import io.rowstream.db.Tx;
import io.rowstream.db.schema.tables.records.ConsumerGroupRecord;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * All SQL on {@code consumer_group}. The row is the group's lock: a rebalance holds it
 * {@code FOR UPDATE}, an offset commit {@code FOR SHARE}, so commits never interleave with a
 * change of generation.
 */
final class GroupStore {
  private final DSLContext dsl;

  GroupStore(Tx tx) {
    this.dsl = tx.dsl();
  }

  /** Creates the group row if there is none (a group exists from its first instance on). */
  void ensure(String group) {
    dsl.insertInto(CONSUMER_GROUP)
        .set(CONSUMER_GROUP.GROUP_NAME, group)
        .onConflictDoNothing()
        .execute();
  }

  /** The group, locked for a membership change until the transaction ends. */
  Optional<GroupRow> lockForUpdate(String group) {
    return dsl.selectFrom(CONSUMER_GROUP)
        .where(CONSUMER_GROUP.GROUP_NAME.eq(group))
        .forUpdate()
        .fetchOptional(GroupStore::toRow);
  }

  /** The group, locked against a rebalance (not against other commits) until the transaction ends. */
  Optional<GroupRow> lockForShare(String group) {
    return dsl.selectFrom(CONSUMER_GROUP)
        .where(CONSUMER_GROUP.GROUP_NAME.eq(group))
        .forShare()
        .fetchOptional(GroupStore::toRow);
  }

  Optional<GroupRow> find(String group) {
    return dsl.selectFrom(CONSUMER_GROUP)
        .where(CONSUMER_GROUP.GROUP_NAME.eq(group))
        .fetchOptional(GroupStore::toRow);
  }

  List<GroupRow> list() {
    return dsl.selectFrom(CONSUMER_GROUP)
        .orderBy(CONSUMER_GROUP.GROUP_NAME)
        .fetch(GroupStore::toRow);
  }

  /**
   * Deletes the group's row; its instances (whose leases have ended) and assignments go with it by
   * cascade. Whether it was there.
   */
  boolean delete(String group) {
    return dsl.deleteFrom(CONSUMER_GROUP)
            .where(CONSUMER_GROUP.GROUP_NAME.eq(group))
            .execute()
        > 0;
  }

  /** Sets the group's assignor; only while it has no subscribed member. */
  void setAssignor(String group, String assignor) {
    dsl.update(CONSUMER_GROUP)
        .set(CONSUMER_GROUP.ASSIGNOR, assignor)
        .where(CONSUMER_GROUP.GROUP_NAME.eq(group))
        .execute();
  }

  /** Records a completed rebalance: the new generation and state, at the database's now. */
  void rebalanced(String group, int generation, String state) {
    dsl.update(CONSUMER_GROUP)
        .set(CONSUMER_GROUP.GENERATION, generation)
        .set(CONSUMER_GROUP.STATE, state)
        .set(CONSUMER_GROUP.REBALANCED_AT, DSL.currentOffsetDateTime())
        .where(CONSUMER_GROUP.GROUP_NAME.eq(group))
        .execute();
  }

  /** Sets the group's state (KIP-848 reconciliation moves it without a new generation). */
  void setState(String group, String state) {
    dsl.update(CONSUMER_GROUP)
        .set(CONSUMER_GROUP.STATE, state)
        .where(CONSUMER_GROUP.GROUP_NAME.eq(group), CONSUMER_GROUP.STATE.ne(state))
        .execute();
  }

  /** Who computes the group's assignment: {@code consumer} (the server) or {@code classic}. */
  Optional<String> protocol(String group) {
    return dsl.select(CONSUMER_GROUP.GROUP_PROTOCOL)
        .from(CONSUMER_GROUP)
        .where(CONSUMER_GROUP.GROUP_NAME.eq(group))
        .fetchOptional(CONSUMER_GROUP.GROUP_PROTOCOL);
  }

  /** Sets who computes the group's assignment; only while it has no live member of the other kind. */
  void setProtocol(String group, String protocol) {
    dsl.update(CONSUMER_GROUP)
        .set(CONSUMER_GROUP.GROUP_PROTOCOL, protocol)
        .where(CONSUMER_GROUP.GROUP_NAME.eq(group))
        .execute();
  }

  private static GroupRow toRow(ConsumerGroupRecord r) {
    return new GroupRow(
        r.getGroupName(),
        r.getState(),
        r.getGeneration(),
        r.getProtocolType(),
        r.getAssignor(),
        r.getRebalancedAt(),
        GroupType.ofStored(r.getGroupProtocol()));
  }
}
