package io.rowstream.group;

import static io.rowstream.db.schema.Tables.CONSUMER_GROUP;

import io.rowstream.db.Tx;
import io.rowstream.db.schema.tables.records.ConsumerGroupRecord;
import java.time.OffsetDateTime;
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

  /**
   * Sets the group's state without a new generation (KIP-848 reconciliation; a classic group once
   * its leader synced: STABLE).
   */
  void setState(String group, String state) {
    dsl.update(CONSUMER_GROUP)
        .set(CONSUMER_GROUP.STATE, state)
        .where(CONSUMER_GROUP.GROUP_NAME.eq(group), CONSUMER_GROUP.STATE.ne(state))
        .execute();
  }

  /** {@code consumer_group.group_protocol} of a group whose members compute its assignment. */
  static final String CLASSIC = "classic";
  /** {@code consumer_group.group_protocol} of a group whose assignment the server computes. */
  static final String SERVER_ASSIGNED = "consumer";

  /**
   * What the classic protocol keeps on the group row.
   *
   * @param groupProtocol {@link #CLASSIC} or {@link #SERVER_ASSIGNED}
   * @param leaderMemberId the leader of the current generation; null if none
   * @param msUntilDeadline time left until the join barrier ends (negative once it has); null when
   *     no rebalance is under way
   */
  record ClassicState(String groupProtocol, String leaderMemberId, Long msUntilDeadline) {
    boolean classic() {
      return CLASSIC.equals(groupProtocol);
    }
  }

  ClassicState classicState(String group) {
    return dsl.select(
            CONSUMER_GROUP.GROUP_PROTOCOL,
            CONSUMER_GROUP.LEADER_MEMBER_ID,
            DSL.field(
                "(extract(epoch from {0} - now()) * 1000)::bigint",
                Long.class, CONSUMER_GROUP.REBALANCE_DEADLINE))
        .from(CONSUMER_GROUP)
        .where(CONSUMER_GROUP.GROUP_NAME.eq(group))
        .fetchOptional(r -> new ClassicState(r.value1(), r.value2(), r.value3()))
        .orElse(new ClassicState(SERVER_ASSIGNED, null, null));
  }

  /** Makes the group classic or server-assigned; only while it has no live member of the other kind. */
  void setGroupProtocol(String group, String protocol) {
    dsl.update(CONSUMER_GROUP)
        .set(CONSUMER_GROUP.GROUP_PROTOCOL, protocol)
        .where(CONSUMER_GROUP.GROUP_NAME.eq(group), CONSUMER_GROUP.GROUP_PROTOCOL.ne(protocol))
        .execute();
  }

  /** A classic rebalance begins: the join barrier lasts {@code timeoutMs} from now (database clock). */
  void prepareRebalance(String group, long timeoutMs) {
    dsl.update(CONSUMER_GROUP)
        .set(CONSUMER_GROUP.STATE, "PREPARING_REBALANCE")
        .set(
            CONSUMER_GROUP.REBALANCE_DEADLINE,
            DSL.field(
                "now() + {0} * interval '1 millisecond'", OffsetDateTime.class, DSL.val(timeoutMs)))
        .where(CONSUMER_GROUP.GROUP_NAME.eq(group))
        .execute();
  }

  /** A classic join completed: the new generation, its protocol and leader, and its state. */
  void joinCompleted(
      String group,
      int generation,
      String protocolType,
      String protocolName,
      String leaderMemberId,
      String state) {
    var update = dsl.update(CONSUMER_GROUP)
        .set(CONSUMER_GROUP.GENERATION, generation)
        .set(CONSUMER_GROUP.STATE, state)
        .set(CONSUMER_GROUP.LEADER_MEMBER_ID, leaderMemberId)
        .setNull(CONSUMER_GROUP.REBALANCE_DEADLINE)
        .set(CONSUMER_GROUP.REBALANCED_AT, DSL.currentOffsetDateTime());
    if (protocolName != null) {
      update = update
          .set(CONSUMER_GROUP.ASSIGNOR, protocolName)
          .set(CONSUMER_GROUP.PROTOCOL_TYPE, protocolType);
    }
    update.where(CONSUMER_GROUP.GROUP_NAME.eq(group)).execute();
  }

  /** Sets the classic leader (a static leader that came back under a new member id). */
  void setLeader(String group, String leaderMemberId) {
    dsl.update(CONSUMER_GROUP)
        .set(CONSUMER_GROUP.LEADER_MEMBER_ID, leaderMemberId)
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
