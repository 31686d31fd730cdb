package io.rowstream.group;

import static io.rowstream.db.schema.Tables.COMMITTED_OFFSET;
import static io.rowstream.db.schema.Tables.CONSUMER_ASSIGNMENT;
import static io.rowstream.db.schema.Tables.CONSUMER_GROUP;
import static io.rowstream.db.schema.Tables.CONSUMER_INSTANCE;
import static io.rowstream.db.schema.Tables.CONSUMER_TARGET_ASSIGNMENT;
import static io.rowstream.db.schema.Tables.TOPIC_PARTITION;

import io.rowstream.db.Tx;
import io.rowstream.log.PartitionKey;
import io.rowstream.security.Caller;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.impl.DSL;

/**
 * The one writer of {@code consumer_assignment}: an instance's manual assignment and its
 * positions (for {@code consumer}'s {@code ConsumerInstanceStore}) and the group-assigned rows a
 * {@link Rebalance} grants and revokes and a Kafka member's heartbeat releases (holding the group
 * row's lock). Reads of assignments are
 * {@link MemberStore}'s and {@code ConsumerInstanceStore}'s. A lost race (the instance deleted, a
 * position moved) is a {@code false} or an empty result, never a half-done write.
 */
public final class AssignmentStore {
  private final DSLContext dsl;

  public AssignmentStore(Tx tx) {
    this.dsl = tx.dsl();
  }

  /** What a manual assignment found. */
  public enum AssignResult {
    DONE,
    GONE,
    SUBSCRIBED
  }

  /**
   * Makes {@code partitions} the instance's whole assignment. Partitions it keeps keep their
   * positions (as Kafka's {@code assign} does); new ones start without one. Nothing changes when
   * the instance is gone (or not {@code caller}'s) or subscribed.
   */
  public AssignResult replaceAssignment(
      Caller caller, String group, String id, Collection<PartitionKey> partitions) {
    return dsl.transactionResult(tx -> {
      DSLContext t = tx.dsl();
      var row = t.select(CONSUMER_INSTANCE.SUBSCRIBED_TOPICS, CONSUMER_INSTANCE.SUBSCRIBED_PATTERN)
          .from(CONSUMER_INSTANCE)
          .where(InstanceStore.liveFor(caller, group, id))
          .forUpdate()
          .fetchOptional();
      if (row.isEmpty()) {
        return AssignResult.GONE;
      }
      if (row.get().value1() != null || row.get().value2() != null) {
        return AssignResult.SUBSCRIBED;
      }
      t.deleteFrom(CONSUMER_ASSIGNMENT)
          .where(assignment(group, id), MemberStore.partitions(partitions).not())
          .execute();
      if (!partitions.isEmpty()) {
        var insert = t.insertInto(
            CONSUMER_ASSIGNMENT,
            CONSUMER_ASSIGNMENT.GROUP_NAME,
            CONSUMER_ASSIGNMENT.INSTANCE_ID,
            CONSUMER_ASSIGNMENT.TOPIC_ID,
            CONSUMER_ASSIGNMENT.PARTITION_ID);
        for (PartitionKey key : partitions) {
          insert = insert.values(group, id, key.topicId(), key.partition());
        }
        insert.onConflictDoNothing().execute();
      }
      return AssignResult.DONE;
    });
  }

  /**
   * Sets the positions of assigned partitions, all or none: false (nothing changed) when one of
   * them is no longer assigned.
   */
  public boolean seek(String group, String id, Map<PartitionKey, Long> positions) {
    return updateAll(
        group,
        tx -> positions.entrySet().stream()
            .map(e -> tx.update(CONSUMER_ASSIGNMENT)
                .set(CONSUMER_ASSIGNMENT.POSITION, e.getValue())
                .where(assignment(group, id), partition(e.getKey())))
            .toList());
  }

  /**
   * One partition's position moving from where a read started to past what it returned, in the
   * assignment row of {@code generation} (null: manual).
   */
  public record Advance(PartitionKey key, long from, long to, Integer generation) {}

  /**
   * Moves positions past what a read returned, all or none: false (nothing changed) when one of
   * them moved since the read started (a seek or another read of the same instance) or the
   * partition is no longer assigned by the same generation (a rebalance took it, perhaps gave it back).
   */
  public boolean advance(String group, String id, List<Advance> advances) {
    return updateAll(
        group,
        tx -> advances.stream()
            .map(a -> tx.update(CONSUMER_ASSIGNMENT)
                .set(CONSUMER_ASSIGNMENT.POSITION, a.to())
                .where(
                    assignment(group, id),
                    partition(a.key()),
                    CONSUMER_ASSIGNMENT.POSITION.eq(a.from()),
                    CONSUMER_ASSIGNMENT.GENERATION.isNotDistinctFrom(a.generation())))
            .toList());
  }

  /**
   * Sets missing positions in one statement, as Kafka's consumer does before it fetches: a
   * partition without a position starts at the group's committed offset when that lies inside
   * [log start, log end]; otherwise, and for a position outside the log, auto.offset.reset
   * applies: the log start ({@code earliest}), the log end ({@code latest}), or nothing
   * ({@code null}: {@code none}, the read then refuses).
   */
  public void initPositions(String group, String id, Boolean toEarliest) {
    var p = TOPIC_PARTITION;
    var c = COMMITTED_OFFSET;
    Field<Long> committed = DSL.select(c.COMMITTED_OFFSET_)
        .from(c)
        .where(
            c.GROUP_NAME.eq(group),
            c.TOPIC_ID.eq(CONSUMER_ASSIGNMENT.TOPIC_ID),
            c.PARTITION_ID.eq(CONSUMER_ASSIGNMENT.PARTITION_ID),
            c.COMMITTED_OFFSET_.between(p.LOG_START_OFFSET, p.LOG_END_OFFSET))
        .asField();
    Field<Long> reset = toEarliest == null
        ? DSL.inline(null, Long.class)
        : toEarliest ? p.LOG_START_OFFSET : p.LOG_END_OFFSET;
    dsl.update(CONSUMER_ASSIGNMENT)
        .set(
            CONSUMER_ASSIGNMENT.POSITION,
            DSL.when(CONSUMER_ASSIGNMENT.POSITION.isNull(), DSL.coalesce(committed, reset))
                .otherwise(reset))
        .from(p)
        .where(
            assignment(group, id),
            p.TOPIC_ID.eq(CONSUMER_ASSIGNMENT.TOPIC_ID),
            p.PARTITION_ID.eq(CONSUMER_ASSIGNMENT.PARTITION_ID),
            CONSUMER_ASSIGNMENT
                .POSITION
                .isNull()
                .or(CONSUMER_ASSIGNMENT.POSITION.lt(p.LOG_START_OFFSET))
                .or(CONSUMER_ASSIGNMENT.POSITION.gt(p.LOG_END_OFFSET)))
        .execute();
  }

  /**
   * Runs the updates in one transaction; if one of them matches no row, rolls all back and returns
   * false. The transaction first holds the group row {@code FOR SHARE}, as a rebalance takes it
   * {@code FOR UPDATE} before it touches assignment rows: both lock in the same order, so a read
   * moving several positions and a rebalance revoking several partitions cannot deadlock.
   */
  private boolean updateAll(String group, Function<DSLContext, List<? extends Query>> updates) {
    try {
      dsl.transaction(tx -> {
        tx.dsl()
            .selectOne()
            .from(CONSUMER_GROUP)
            .where(CONSUMER_GROUP.GROUP_NAME.eq(group))
            .forShare()
            .execute();
        for (Query update : updates.apply(tx.dsl())) {
          if (update.execute() != 1) {
            throw new LostRace();
          }
        }
      });
      return true;
    } catch (LostRace e) {
      return false;
    }
  }

  /** Rolls a transaction back when a conditional update matched nothing. */
  private static final class LostRace extends RuntimeException {
    LostRace() {
      super(null, null, false, false);
    }
  }

  /** Takes group-assigned partitions away from a member. */
  void revoke(String group, String id, Collection<PartitionKey> keys) {
    if (!keys.isEmpty()) {
      dsl.deleteFrom(CONSUMER_ASSIGNMENT)
          .where(
              CONSUMER_ASSIGNMENT.GROUP_NAME.eq(group),
              CONSUMER_ASSIGNMENT.INSTANCE_ID.eq(id),
              CONSUMER_ASSIGNMENT.GENERATION.isNotNull(),
              MemberStore.partitions(keys))
          .execute();
    }
  }

  /** Gives partitions to a member in {@code generation}, without positions (they start from the committed offset). */
  void grant(String group, String id, Collection<PartitionKey> keys, int generation) {
    if (keys.isEmpty()) {
      return;
    }
    var insert = dsl.insertInto(
        CONSUMER_ASSIGNMENT,
        CONSUMER_ASSIGNMENT.GROUP_NAME,
        CONSUMER_ASSIGNMENT.INSTANCE_ID,
        CONSUMER_ASSIGNMENT.TOPIC_ID,
        CONSUMER_ASSIGNMENT.PARTITION_ID,
        CONSUMER_ASSIGNMENT.GENERATION);
    for (PartitionKey key : keys) {
      insert = insert.values(group, id, key.topicId(), key.partition(), generation);
    }
    insert.execute();
  }

  /**
   * A Kafka member's heartbeat listed what it owns: its group-assigned partitions that it no longer
   * lists and that its target does not hold are released (free for their next owner).
   */
  void release(String group, String id, Collection<PartitionKey> owned) {
    var t = CONSUMER_TARGET_ASSIGNMENT;
    dsl.deleteFrom(CONSUMER_ASSIGNMENT)
        .where(
            assignment(group, id),
            CONSUMER_ASSIGNMENT.GENERATION.isNotNull(),
            MemberStore.partitions(owned).not(),
            DSL.notExists(DSL.selectOne()
                .from(t)
                .where(
                    t.GROUP_NAME.eq(group),
                    t.INSTANCE_ID.eq(id),
                    t.TOPIC_ID.eq(CONSUMER_ASSIGNMENT.TOPIC_ID),
                    t.PARTITION_ID.eq(CONSUMER_ASSIGNMENT.PARTITION_ID))))
        .execute();
  }

  /**
   * Makes {@code owned} (by instance id) the group's whole group-assigned partitions in
   * {@code generation}: a classic leader's assignment. A partition given twice goes to the first
   * member named (one owner per partition, as the partial unique index holds).
   */
  void replaceGroupAssignment(String group, Map<String, List<PartitionKey>> owned, int generation) {
    dsl.deleteFrom(CONSUMER_ASSIGNMENT)
        .where(CONSUMER_ASSIGNMENT.GROUP_NAME.eq(group), CONSUMER_ASSIGNMENT.GENERATION.isNotNull())
        .execute();
    for (var e : owned.entrySet()) {
      for (PartitionKey key : e.getValue()) {
        dsl.insertInto(
                CONSUMER_ASSIGNMENT,
                CONSUMER_ASSIGNMENT.GROUP_NAME,
                CONSUMER_ASSIGNMENT.INSTANCE_ID,
                CONSUMER_ASSIGNMENT.TOPIC_ID,
                CONSUMER_ASSIGNMENT.PARTITION_ID,
                CONSUMER_ASSIGNMENT.GENERATION)
            .values(group, e.getKey(), key.topicId(), key.partition(), generation)
            .onConflictDoNothing()
            .execute();
      }
    }
  }

  private static Condition assignment(String group, String id) {
    return CONSUMER_ASSIGNMENT.GROUP_NAME.eq(group).and(CONSUMER_ASSIGNMENT.INSTANCE_ID.eq(id));
  }

  private static Condition partition(PartitionKey key) {
    return CONSUMER_ASSIGNMENT
        .TOPIC_ID
        .eq(key.topicId())
        .and(CONSUMER_ASSIGNMENT.PARTITION_ID.eq(key.partition()));
  }

  /** Drops every partition the instance holds (by the group's assignment or its own). */
  void dropAll(String group, String id) {
    dsl.deleteFrom(CONSUMER_ASSIGNMENT).where(assignment(group, id)).execute();
  }
}
