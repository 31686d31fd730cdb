package io.rowstream.consumer;

import static io.rowstream.db.schema.Tables.COMMITTED_OFFSET;
import static io.rowstream.db.schema.Tables.CONSUMER_ASSIGNMENT;
import static io.rowstream.db.schema.Tables.CONSUMER_GROUP;
import static io.rowstream.db.schema.Tables.CONSUMER_INSTANCE;
import static io.rowstream.db.schema.Tables.TOPIC;
import static io.rowstream.db.schema.Tables.TOPIC_PARTITION;

import io.rowstream.db.AdvisoryLocks;
import io.rowstream.db.Tx;
import io.rowstream.db.schema.tables.records.ConsumerInstanceRecord;
import io.rowstream.group.InstanceOwner;
import io.rowstream.log.PartitionKey;
import io.rowstream.log.TopicPartition;
import io.rowstream.security.Caller;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.impl.DSL;

/**
 * SQL on {@code consumer_instance} (creation within the {@link ConsumerCaps}, configuration, lease
 * renewal) and {@code consumer_assignment} (positions, manual assignments); group membership (subscriptions, group-assigned rows) is the
 * {@code group} package's {@code MemberStore}. Every change is one statement or one short
 * transaction; a lost race (the instance deleted, a position moved) is a {@code false} or an
 * empty result, never a half-done write.
 */
public final class ConsumerInstanceStore {
  private final DSLContext dsl;

  public ConsumerInstanceStore(Tx tx) {
    this.dsl = tx.dsl();
  }

  /** What an insert found. */
  enum Outcome {
    CREATED,
    EXISTS,
    GROUP_FULL,
    PRINCIPAL_FULL,
    PRINCIPAL_GROUPS_FULL
  }

  /**
   * Inserts the instance, owned by {@code owner}, with a fresh lease, unless a cap or its id is
   * taken; exact under any number of concurrent creates on any number of nodes: one transaction
   * takes the owner's transaction advisory lock, then the group row {@code FOR UPDATE}, counts,
   * and inserts. Every create takes the two locks in that order (a rebalance takes only the group
   * row), so creates of one principal, or in one group, run one after the other and none can
   * deadlock.
   */
  Outcome insert(ConsumerInstance instance, Caller owner, ConsumerCaps caps) {
    String group = instance.group();
    String principal = owner.principal().toString();
    return dsl.transactionResult(tx -> {
      DSLContext t = tx.dsl();
      t.select(DSL.field(
              "pg_advisory_xact_lock({0}, hashtext({1}))",
              Object.class, DSL.val(AdvisoryLocks.CONSUMER_PRINCIPAL_CLASS), DSL.val(principal)))
          .fetch();
      if (t.selectOne()
          .from(CONSUMER_GROUP)
          .where(CONSUMER_GROUP.GROUP_NAME.eq(group))
          .forUpdate()
          .fetch()
          .isEmpty()) {
        throw new IllegalStateException(
            "group " + group + " has no row at create, which indicates a bug");
      }
      if (t.fetchExists(
          CONSUMER_INSTANCE,
          CONSUMER_INSTANCE.GROUP_NAME.eq(group),
          CONSUMER_INSTANCE.INSTANCE_ID.eq(instance.id()))) {
        return Outcome.EXISTS;
      }
      if (t.fetchCount(CONSUMER_INSTANCE, CONSUMER_INSTANCE.GROUP_NAME.eq(group))
          >= caps.perGroup()) {
        return Outcome.GROUP_FULL;
      }
      if (t.fetchCount(CONSUMER_INSTANCE, CONSUMER_INSTANCE.OWNER_PRINCIPAL.eq(principal))
          >= caps.perPrincipal()) {
        return Outcome.PRINCIPAL_FULL;
      }
      boolean newGroupForOwner = !t.fetchExists(
          CONSUMER_INSTANCE,
          CONSUMER_INSTANCE.OWNER_PRINCIPAL.eq(principal),
          CONSUMER_INSTANCE.GROUP_NAME.eq(group));
      if (newGroupForOwner
          && t.fetchCount(t.selectDistinct(CONSUMER_INSTANCE.GROUP_NAME)
                  .from(CONSUMER_INSTANCE)
                  .where(CONSUMER_INSTANCE.OWNER_PRINCIPAL.eq(principal)))
              >= caps.groupsPerPrincipal()) {
        return Outcome.PRINCIPAL_GROUPS_FULL;
      }
      t.insertInto(CONSUMER_INSTANCE)
          .set(CONSUMER_INSTANCE.GROUP_NAME, group)
          .set(CONSUMER_INSTANCE.INSTANCE_ID, instance.id())
          .set(CONSUMER_INSTANCE.MEMBER_ID, instance.memberId())
          .set(CONSUMER_INSTANCE.OWNER_PRINCIPAL, principal)
          .set(CONSUMER_INSTANCE.OWNER_HOST, owner.host())
          .set(CONSUMER_INSTANCE.SESSION_TIMEOUT_MS, instance.sessionTimeoutMs())
          .set(
              CONSUMER_INSTANCE.LEASE_EXPIRES_AT,
              renewedLease(DSL.val(instance.sessionTimeoutMs())))
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

  /**
   * The instance, its lease renewed and {@code last_seen_at} moved to now (database clock);
   * empty if there is none, its lease has ended, or it is not {@code caller}'s (its owner's or a
   * super user's): another principal's call neither finds it nor renews its lease. With
   * {@code observe}, the instance also sees the group's current generation: the call shows it its
   * assignment.
   */
  Optional<ConsumerInstance> touch(Caller caller, String group, String id, boolean observe) {
    var update = dsl.update(CONSUMER_INSTANCE)
        .set(CONSUMER_INSTANCE.LAST_SEEN_AT, DSL.currentOffsetDateTime())
        .set(
            CONSUMER_INSTANCE.LEASE_EXPIRES_AT, renewedLease(CONSUMER_INSTANCE.SESSION_TIMEOUT_MS));
    if (observe) {
      update = update.set(
          CONSUMER_INSTANCE.GENERATION,
          DSL.select(CONSUMER_GROUP.GENERATION)
              .from(CONSUMER_GROUP)
              .where(CONSUMER_GROUP.GROUP_NAME.eq(group)));
    }
    return update
        .where(
            instance(group, id),
            CONSUMER_INSTANCE.LEASE_EXPIRES_AT.gt(DSL.currentOffsetDateTime()),
            actsOn(caller))
        .returning()
        .fetchOptional()
        .map(ConsumerInstanceStore::toInstance);
  }

  /** The end of a lease of {@code sessionTimeoutMs} starting now (database clock). */
  static Field<OffsetDateTime> renewedLease(Field<Integer> sessionTimeoutMs) {
    return DSL.field(
        "now() + {0} * interval '1 millisecond'", OffsetDateTime.class, sessionTimeoutMs);
  }

  /** The assigned partitions by topic name and partition, with positions and log ranges. */
  List<Assignment> assignments(String group, String id) {
    return dsl.select(
            TOPIC.NAME,
            CONSUMER_ASSIGNMENT.TOPIC_ID,
            CONSUMER_ASSIGNMENT.PARTITION_ID,
            CONSUMER_ASSIGNMENT.POSITION,
            TOPIC_PARTITION.LOG_START_OFFSET,
            TOPIC_PARTITION.LOG_END_OFFSET,
            CONSUMER_ASSIGNMENT.GENERATION)
        .from(CONSUMER_ASSIGNMENT)
        .join(TOPIC)
        .on(TOPIC.TOPIC_ID.eq(CONSUMER_ASSIGNMENT.TOPIC_ID))
        .join(TOPIC_PARTITION)
        .on(
            TOPIC_PARTITION.TOPIC_ID.eq(CONSUMER_ASSIGNMENT.TOPIC_ID),
            TOPIC_PARTITION.PARTITION_ID.eq(CONSUMER_ASSIGNMENT.PARTITION_ID))
        .where(CONSUMER_ASSIGNMENT.GROUP_NAME.eq(group), CONSUMER_ASSIGNMENT.INSTANCE_ID.eq(id))
        .orderBy(TOPIC.NAME, CONSUMER_ASSIGNMENT.PARTITION_ID)
        .fetch(r -> new Assignment(
            new TopicPartition(r.value1(), r.value3()),
            new PartitionKey(r.value2(), r.value3()),
            r.value4(),
            r.value5(),
            r.value6(),
            r.value7()));
  }

  /** What a manual assignment found. */
  enum AssignResult {
    DONE,
    GONE,
    SUBSCRIBED
  }

  /**
   * Makes {@code partitions} the instance's whole assignment. Partitions it keeps keep their
   * positions (as Kafka's {@code assign} does); new ones start without one. Nothing changes when
   * the instance is gone (or not {@code caller}'s) or subscribed.
   */
  AssignResult replaceAssignment(
      Caller caller, String group, String id, Collection<PartitionKey> partitions) {
    return dsl.transactionResult(tx -> {
      DSLContext t = tx.dsl();
      var row = t.select(CONSUMER_INSTANCE.SUBSCRIBED_TOPICS, CONSUMER_INSTANCE.SUBSCRIBED_PATTERN)
          .from(CONSUMER_INSTANCE)
          .where(
              instance(group, id),
              CONSUMER_INSTANCE.LEASE_EXPIRES_AT.gt(DSL.currentOffsetDateTime()),
              actsOn(caller))
          .forUpdate()
          .fetchOptional();
      if (row.isEmpty()) {
        return AssignResult.GONE;
      }
      if (row.get().value1() != null || row.get().value2() != null) {
        return AssignResult.SUBSCRIBED;
      }
      Condition kept = DSL.falseCondition();
      for (PartitionKey key : partitions) {
        kept = kept.or(CONSUMER_ASSIGNMENT
            .TOPIC_ID
            .eq(key.topicId())
            .and(CONSUMER_ASSIGNMENT.PARTITION_ID.eq(key.partition())));
      }
      t.deleteFrom(CONSUMER_ASSIGNMENT).where(assignment(group, id), kept.not()).execute();
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
  boolean seek(String group, String id, Map<PartitionKey, Long> positions) {
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
  record Advance(PartitionKey key, long from, long to, Integer generation) {}

  /**
   * Moves positions past what a read returned, all or none: false (nothing changed) when one of
   * them moved since the read started (a seek or another read of the same instance) or the
   * partition is no longer assigned by the same generation (a rebalance took it, perhaps gave it back).
   */
  boolean advance(String group, String id, List<Advance> advances) {
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
  void initPositions(String group, String id, Boolean toEarliest) {
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

  private static Condition instance(String group, String id) {
    return CONSUMER_INSTANCE.GROUP_NAME.eq(group).and(CONSUMER_INSTANCE.INSTANCE_ID.eq(id));
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

  private static ConsumerInstance toInstance(ConsumerInstanceRecord r) {
    return new ConsumerInstance(
        r.getGroupName(),
        r.getInstanceId(),
        ConsumerFormat.ofConfigName(r.getFormat()),
        OffsetReset.ofConfigName(r.getAutoOffsetReset()),
        r.getAutoCommitEnable(),
        r.getFetchMinBytes(),
        r.getRequestTimeoutMs(),
        r.getSessionTimeoutMs(),
        r.getAssignmentStrategy(),
        r.getMemberId(),
        r.getSubscribedTopics() != null || r.getSubscribedPattern() != null);
  }

  /** The instance rows {@code caller} may act on ({@link InstanceOwner}). */
  private static Condition actsOn(Caller caller) {
    return InstanceOwner.requiredFor(caller)
        .map(CONSUMER_INSTANCE.OWNER_PRINCIPAL::eq)
        .orElse(DSL.trueCondition());
  }
}
