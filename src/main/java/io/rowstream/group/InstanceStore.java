package io.rowstream.group;

import static io.rowstream.db.schema.Tables.CONSUMER_GROUP;
import static io.rowstream.db.schema.Tables.CONSUMER_INSTANCE;

import io.rowstream.db.AdvisoryLocks;
import io.rowstream.db.Tx;
import io.rowstream.db.schema.tables.records.ConsumerInstanceRecord;
import io.rowstream.security.Caller;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * The one writer of {@code consumer_instance}: an instance's creation within its caps and lease
 * renewal (for {@code consumer}'s {@code ConsumerInstanceStore}), and group membership:
 * subscription, seen generation, deletion and reaping (for the coordinator and {@link Rebalance},
 * which hold the group row's lock). Its assignment rows are {@link AssignmentStore}'s; reads of
 * membership are {@link MemberStore}'s. Every change is one statement or one short transaction.
 */
public final class InstanceStore {
  /** {@code consumer_instance.door} of a REST Proxy consumer instance. */
  static final String HTTP_DOOR = "http";

  /** {@code consumer_instance.door} of a Kafka client's member. */
  static final String KAFKA_DOOR = "kafka";

  private final DSLContext dsl;

  public InstanceStore(Tx tx) {
    this.dsl = tx.dsl();
  }

  /** What an insert found. */
  public enum Outcome {
    CREATED,
    EXISTS,
    GROUP_FULL,
    PRINCIPAL_FULL,
    PRINCIPAL_GROUPS_FULL
  }

  /**
   * Inserts the instance {@code row} (its lease starts now) unless a cap or its id is taken; exact
   * under any number of concurrent creates on any number of nodes: one transaction takes the
   * owner's transaction advisory lock, then the group row {@code FOR UPDATE}, counts, and inserts.
   * Every create takes the two locks in that order (a rebalance takes only the group row), so
   * creates of one principal, or in one group, run one after the other and none can deadlock.
   */
  public Outcome insert(
      ConsumerInstanceRecord row, int perGroup, int perPrincipal, int groupsPerPrincipal) {
    String group = row.getGroupName();
    String principal = row.getOwnerPrincipal();
    return dsl.transactionResult(tx -> {
      DSLContext t = tx.dsl();
      t.select(DSL.field(
              "pg_advisory_xact_lock({0}, hashtext({1}))",
              Object.class, DSL.val(AdvisoryLocks.CONSUMER_PRINCIPAL_CLASS), DSL.val(principal)))
          .fetch();
      // The group row again: a DeleteGroups may have removed it since the caller ensured it.
      t.insertInto(CONSUMER_GROUP)
          .set(CONSUMER_GROUP.GROUP_NAME, group)
          .onConflictDoNothing()
          .execute();
      if (t.selectOne()
          .from(CONSUMER_GROUP)
          .where(CONSUMER_GROUP.GROUP_NAME.eq(group))
          .forUpdate()
          .fetch()
          .isEmpty()) {
        throw new IllegalStateException(
            "group " + group + " has no row at create, which indicates a bug");
      }
      if (t.fetchExists(CONSUMER_INSTANCE, instance(group, row.getInstanceId()))) {
        return Outcome.EXISTS;
      }
      if (t.fetchCount(CONSUMER_INSTANCE, CONSUMER_INSTANCE.GROUP_NAME.eq(group)) >= perGroup) {
        return Outcome.GROUP_FULL;
      }
      if (t.fetchCount(CONSUMER_INSTANCE, CONSUMER_INSTANCE.OWNER_PRINCIPAL.eq(principal))
          >= perPrincipal) {
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
              >= groupsPerPrincipal) {
        return Outcome.PRINCIPAL_GROUPS_FULL;
      }
      t.insertInto(CONSUMER_INSTANCE)
          .set(row)
          .set(CONSUMER_INSTANCE.LEASE_EXPIRES_AT, renewedLease(DSL.val(row.getSessionTimeoutMs())))
          .execute();
      return Outcome.CREATED;
    });
  }

  /**
   * The instance's row, its lease renewed and {@code last_seen_at} moved to now (database clock);
   * empty if there is none, its lease has ended, or it is not {@code caller}'s (its owner's or a
   * super user's): another principal's call neither finds it nor renews its lease. With
   * {@code observe}, the instance also sees the group's current generation: the call shows it its
   * assignment.
   */
  public Optional<ConsumerInstanceRecord> touch(
      Caller caller, String group, String id, boolean observe) {
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
    return update.where(liveFor(caller, group, id)).returning().fetchOptional();
  }

  /** The end of a lease of {@code sessionTimeoutMs} starting now (database clock). */
  private static Field<OffsetDateTime> renewedLease(Field<Integer> sessionTimeoutMs) {
    return DSL.field(
        "now() + {0} * interval '1 millisecond'", OffsetDateTime.class, sessionTimeoutMs);
  }

  /** A member deleted because its lease ended. */
  record Expired(String instanceId, boolean subscribed) {}

  /**
   * Members whose lease has ended, or Kafka members that did not give up partitions within their
   * rebalance timeout (Kafka fences them so).
   */
  static Condition ended() {
    return CONSUMER_INSTANCE
        .LEASE_EXPIRES_AT
        .le(DSL.currentOffsetDateTime())
        .or(CONSUMER_INSTANCE.REVOKE_BY.le(DSL.currentOffsetDateTime()));
  }

  /** Deletes the group's members whose lease has ended, without committing anything (as a crash). */
  List<Expired> deleteExpired(String group) {
    return dsl.deleteFrom(CONSUMER_INSTANCE)
        .where(CONSUMER_INSTANCE.GROUP_NAME.eq(group), ended())
        .returning(
            CONSUMER_INSTANCE.INSTANCE_ID,
            CONSUMER_INSTANCE.SUBSCRIBED_TOPICS,
            CONSUMER_INSTANCE.SUBSCRIBED_PATTERN)
        .fetch(r -> new Expired(
            r.get(CONSUMER_INSTANCE.INSTANCE_ID),
            r.get(CONSUMER_INSTANCE.SUBSCRIBED_TOPICS) != null
                || r.get(CONSUMER_INSTANCE.SUBSCRIBED_PATTERN) != null));
  }

  /**
   * Inserts a Kafka member (no format, no subscription: a classic member's subscription is in its
   * protocol metadata), its lease running {@code sessionTimeoutMs + extraMs} from now.
   */
  void insertKafkaMember(
      String group,
      String instanceId,
      String memberId,
      String strategy,
      int sessionTimeoutMs,
      int extraMs,
      Caller owner) {
    dsl.insertInto(CONSUMER_INSTANCE)
        .set(CONSUMER_INSTANCE.GROUP_NAME, group)
        .set(CONSUMER_INSTANCE.INSTANCE_ID, instanceId)
        .set(CONSUMER_INSTANCE.MEMBER_ID, memberId)
        .set(CONSUMER_INSTANCE.DOOR, KAFKA_DOOR)
        .setNull(CONSUMER_INSTANCE.FORMAT)
        .set(CONSUMER_INSTANCE.AUTO_COMMIT_ENABLE, false)
        .set(joined(strategy, sessionTimeoutMs, extraMs))
        .set(CONSUMER_INSTANCE.OWNER_PRINCIPAL, owner.principal().toString())
        .set(CONSUMER_INSTANCE.OWNER_HOST, owner.host())
        .execute();
  }

  /**
   * A Kafka member's rejoin: its member id (a static member's changes), session timeout and
   * assignor, its lease running {@code sessionTimeoutMs + extraMs} from now.
   */
  void rejoinKafkaMember(
      String group,
      String instanceId,
      String memberId,
      String strategy,
      int sessionTimeoutMs,
      int extraMs) {
    dsl.update(CONSUMER_INSTANCE)
        .set(CONSUMER_INSTANCE.MEMBER_ID, memberId)
        .set(CONSUMER_INSTANCE.LAST_SEEN_AT, DSL.currentOffsetDateTime())
        .set(joined(strategy, sessionTimeoutMs, extraMs))
        .where(instance(group, instanceId))
        .execute();
  }

  /** What a Kafka member's join sets: its assignor, session timeout and lease. */
  private static Map<Field<?>, Object> joined(String strategy, int sessionTimeoutMs, int extraMs) {
    Map<Field<?>, Object> set = new LinkedHashMap<>();
    set.put(CONSUMER_INSTANCE.ASSIGNMENT_STRATEGY, strategy);
    set.put(CONSUMER_INSTANCE.SESSION_TIMEOUT_MS, sessionTimeoutMs);
    set.put(
        CONSUMER_INSTANCE.LEASE_EXPIRES_AT,
        renewedLease(DSL.val(sessionTimeoutMs + Math.max(0, extraMs))));
    return set;
  }

  /** Renews the lease of a Kafka member of the group (its heartbeat), or of all of them (null). */
  void renewKafkaLeases(String group, String instanceId) {
    dsl.update(CONSUMER_INSTANCE)
        .set(CONSUMER_INSTANCE.LAST_SEEN_AT, DSL.currentOffsetDateTime())
        .set(CONSUMER_INSTANCE.LEASE_EXPIRES_AT, renewedLease(CONSUMER_INSTANCE.SESSION_TIMEOUT_MS))
        .where(
            CONSUMER_INSTANCE.GROUP_NAME.eq(group),
            CONSUMER_INSTANCE.DOOR.eq(KAFKA_DOOR),
            instanceId == null ? DSL.trueCondition() : CONSUMER_INSTANCE.INSTANCE_ID.eq(instanceId))
        .execute();
  }

  /** Deletes the instance and, by cascade, its assignment. */
  void delete(String group, String id) {
    dsl.deleteFrom(CONSUMER_INSTANCE).where(instance(group, id)).execute();
  }

  /** Sets the subscription; null unsubscribes and drops every partition the instance holds. */
  void setSubscription(String group, String id, Subscription subscription) {
    dsl.update(CONSUMER_INSTANCE)
        .set(
            CONSUMER_INSTANCE.SUBSCRIBED_TOPICS,
            subscription == null || subscription.byPattern()
                ? null
                : subscription.topics().toArray(String[]::new))
        .set(
            CONSUMER_INSTANCE.SUBSCRIBED_PATTERN,
            subscription == null ? null : subscription.pattern())
        .where(instance(group, id))
        .execute();
    if (subscription == null) {
      new AssignmentStore(Tx.of(dsl)).dropAll(group, id);
    }
  }

  /** A Kafka member's row as a heartbeat creates it (the caller holds the group row). */
  record KafkaMemberRow(
      String group,
      String instanceId,
      String memberId,
      String clientId,
      String ownerPrincipal,
      String ownerHost,
      int sessionTimeoutMs,
      int rebalanceTimeoutMs,
      String assignor) {}

  /**
   * Inserts a Kafka member (door {@code kafka}, no format, no positions of its own), its lease
   * starting now; the caller holds the group row {@code FOR UPDATE} and checked the group's cap.
   */
  void insertKafkaMember(KafkaMemberRow m) {
    dsl.insertInto(CONSUMER_INSTANCE)
        .set(CONSUMER_INSTANCE.GROUP_NAME, m.group())
        .set(CONSUMER_INSTANCE.INSTANCE_ID, m.instanceId())
        .set(CONSUMER_INSTANCE.MEMBER_ID, m.memberId())
        .set(CONSUMER_INSTANCE.DOOR, KAFKA_DOOR)
        .set(CONSUMER_INSTANCE.FORMAT, (String) null)
        .set(CONSUMER_INSTANCE.AUTO_COMMIT_ENABLE, false)
        .set(CONSUMER_INSTANCE.CLIENT_ID, m.clientId())
        .set(CONSUMER_INSTANCE.OWNER_PRINCIPAL, m.ownerPrincipal())
        .set(CONSUMER_INSTANCE.OWNER_HOST, m.ownerHost())
        .set(CONSUMER_INSTANCE.SESSION_TIMEOUT_MS, m.sessionTimeoutMs())
        .set(CONSUMER_INSTANCE.REBALANCE_TIMEOUT_MS, m.rebalanceTimeoutMs())
        .set(CONSUMER_INSTANCE.ASSIGNMENT_STRATEGY, m.assignor())
        .set(CONSUMER_INSTANCE.MEMBER_EPOCH, 0)
        .set(CONSUMER_INSTANCE.LEASE_EXPIRES_AT, renewedLease(DSL.val(m.sessionTimeoutMs())))
        .execute();
  }

  /**
   * A static Kafka member's instance id taken over by a new incarnation ({@code m.memberId()}): it
   * keeps the row, its subscription and what it owns, and its lease starts again.
   */
  void takeOverKafkaMember(KafkaMemberRow m) {
    dsl.update(CONSUMER_INSTANCE)
        .set(CONSUMER_INSTANCE.MEMBER_ID, m.memberId())
        .set(CONSUMER_INSTANCE.CLIENT_ID, m.clientId())
        .set(CONSUMER_INSTANCE.OWNER_PRINCIPAL, m.ownerPrincipal())
        .set(CONSUMER_INSTANCE.OWNER_HOST, m.ownerHost())
        .set(CONSUMER_INSTANCE.SESSION_TIMEOUT_MS, m.sessionTimeoutMs())
        .set(CONSUMER_INSTANCE.REBALANCE_TIMEOUT_MS, m.rebalanceTimeoutMs())
        .set(CONSUMER_INSTANCE.REVOKE_BY, (java.time.OffsetDateTime) null)
        .set(CONSUMER_INSTANCE.LAST_SEEN_AT, DSL.currentOffsetDateTime())
        .set(CONSUMER_INSTANCE.LEASE_EXPIRES_AT, renewedLease(DSL.val(m.sessionTimeoutMs())))
        .where(instance(m.group(), m.instanceId()))
        .execute();
  }

  /** Renews a Kafka member's lease (its heartbeat) for its session timeout, from now. */
  void renew(String group, String id) {
    dsl.update(CONSUMER_INSTANCE)
        .set(CONSUMER_INSTANCE.LAST_SEEN_AT, DSL.currentOffsetDateTime())
        .set(CONSUMER_INSTANCE.LEASE_EXPIRES_AT, renewedLease(CONSUMER_INSTANCE.SESSION_TIMEOUT_MS))
        .where(instance(group, id))
        .execute();
  }

  /** Sets a Kafka member's epoch (the one it had becomes its previous); it has seen that generation too. */
  void setMemberEpoch(String group, String id, int epoch) {
    dsl.update(CONSUMER_INSTANCE)
        .set(
            CONSUMER_INSTANCE.PREVIOUS_MEMBER_EPOCH,
            DSL.when(
                    CONSUMER_INSTANCE.MEMBER_EPOCH.isDistinctFrom(epoch),
                    CONSUMER_INSTANCE.MEMBER_EPOCH)
                .otherwise(CONSUMER_INSTANCE.PREVIOUS_MEMBER_EPOCH))
        .set(CONSUMER_INSTANCE.MEMBER_EPOCH, epoch)
        .set(CONSUMER_INSTANCE.GENERATION, epoch < 0 ? null : epoch)
        .where(instance(group, id))
        .execute();
  }

  /**
   * Starts the revocation clock ({@code revoke_by} = now + rebalance timeout, kept if already
   * running) of the group's Kafka members in {@code pending} (those that must give partitions up),
   * and stops it for the others: two statements, which change only rows whose clock starts or stops.
   */
  void revoking(String group, java.util.Collection<String> pending) {
    dsl.update(CONSUMER_INSTANCE)
        .set(CONSUMER_INSTANCE.REVOKE_BY, renewedLease(CONSUMER_INSTANCE.REBALANCE_TIMEOUT_MS))
        .where(
            CONSUMER_INSTANCE.GROUP_NAME.eq(group),
            CONSUMER_INSTANCE.INSTANCE_ID.in(pending),
            CONSUMER_INSTANCE.REVOKE_BY.isNull())
        .execute();
    dsl.update(CONSUMER_INSTANCE)
        .set(CONSUMER_INSTANCE.REVOKE_BY, DSL.inline(null, OffsetDateTime.class))
        .where(
            CONSUMER_INSTANCE.GROUP_NAME.eq(group),
            CONSUMER_INSTANCE.INSTANCE_ID.notIn(pending),
            CONSUMER_INSTANCE.REVOKE_BY.isNotNull())
        .execute();
  }

  /** Sets the assignor the member asks for. */
  void setStrategy(String group, String id, String assignor) {
    dsl.update(CONSUMER_INSTANCE)
        .set(CONSUMER_INSTANCE.ASSIGNMENT_STRATEGY, assignor)
        .where(instance(group, id))
        .execute();
  }

  /** Records that the member has seen {@code generation}. */
  void seen(String group, String id, int generation) {
    dsl.update(CONSUMER_INSTANCE)
        .set(CONSUMER_INSTANCE.GENERATION, generation)
        .where(instance(group, id))
        .execute();
  }

  static Condition instance(String group, String id) {
    return CONSUMER_INSTANCE.GROUP_NAME.eq(group).and(CONSUMER_INSTANCE.INSTANCE_ID.eq(id));
  }

  /**
   * The HTTP instance if its lease runs and {@code caller} may act on it ({@link InstanceOwner}): a
   * Kafka member of the same group is no instance for the HTTP door.
   */
  static Condition liveFor(Caller caller, String group, String id) {
    return instance(group, id)
        .and(CONSUMER_INSTANCE.DOOR.eq(HTTP_DOOR))
        .and(CONSUMER_INSTANCE.LEASE_EXPIRES_AT.gt(DSL.currentOffsetDateTime()))
        .and(actsOn(caller));
  }

  /** The group's instance whose Kafka member id is {@code memberId}, as {@link #liveFor}. */
  static Condition liveMemberFor(Caller caller, String group, String memberId) {
    return CONSUMER_INSTANCE
        .GROUP_NAME
        .eq(group)
        .and(CONSUMER_INSTANCE.MEMBER_ID.eq(memberId))
        .and(CONSUMER_INSTANCE.LEASE_EXPIRES_AT.gt(DSL.currentOffsetDateTime()))
        .and(actsOn(caller));
  }

  /** The instance rows {@code caller} may act on ({@link InstanceOwner}). */
  private static Condition actsOn(Caller caller) {
    return InstanceOwner.requiredFor(caller)
        .map(CONSUMER_INSTANCE.OWNER_PRINCIPAL::eq)
        .orElse(DSL.trueCondition());
  }
}
