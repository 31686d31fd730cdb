package io.rowstream.group;

import static io.rowstream.db.schema.Tables.CONSUMER_ASSIGNMENT;
import static io.rowstream.db.schema.Tables.CONSUMER_INSTANCE;
import static io.rowstream.db.schema.Tables.CONSUMER_TARGET_ASSIGNMENT;
import static io.rowstream.db.schema.Tables.TOPIC;

import io.rowstream.db.Tx;
import io.rowstream.log.PartitionKey;
import io.rowstream.log.TopicPartition;
import io.rowstream.security.Caller;
import io.rowstream.security.Principal;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * The membership reads of {@code consumer_instance} (subscription, lease, seen generation) and of
 * the group-assigned rows of {@code consumer_assignment} (those with a generation); every write to
 * those tables is {@link InstanceStore}'s. Callers hold the group row's lock.
 */
final class MemberStore {
  private final DSLContext dsl;

  MemberStore(Tx tx) {
    this.dsl = tx.dsl();
  }

  /**
   * The member if its lease runs and {@code caller} may act on it (its owner, or a super user),
   * its row locked until the transaction ends.
   */
  Optional<GroupMember> lockLive(String group, String id, Caller caller) {
    return lockWhere(InstanceStore.liveFor(caller, group, id));
  }

  /** The member whose Kafka member id is {@code memberId}, as {@link #lockLive}. */
  Optional<GroupMember> lockLiveByMemberId(String group, String memberId, Caller caller) {
    return lockWhere(InstanceStore.liveMemberFor(caller, group, memberId));
  }

  private Optional<GroupMember> lockWhere(Condition which) {
    return dsl.select(memberFields())
        .from(CONSUMER_INSTANCE)
        .where(which)
        .forUpdate()
        .fetchOptional(MemberStore::toMember);
  }

  /** The group's subscribed members whose lease runs, by instance id. */
  List<GroupMember> subscribed(String group) {
    return dsl.select(memberFields())
        .from(CONSUMER_INSTANCE)
        .where(
            CONSUMER_INSTANCE.GROUP_NAME.eq(group),
            CONSUMER_INSTANCE
                .SUBSCRIBED_TOPICS
                .isNotNull()
                .or(CONSUMER_INSTANCE.SUBSCRIBED_PATTERN.isNotNull()),
            CONSUMER_INSTANCE.LEASE_EXPIRES_AT.gt(DSL.currentOffsetDateTime()))
        .orderBy(CONSUMER_INSTANCE.INSTANCE_ID)
        .fetch(MemberStore::toMember);
  }

  /**
   * How many consumer instances of the group hold a running lease, subscribed or not (an HTTP
   * instance that assigned partitions itself is one too).
   */
  int liveInstances(String group) {
    return dsl.fetchCount(
        CONSUMER_INSTANCE,
        CONSUMER_INSTANCE.GROUP_NAME.eq(group),
        CONSUMER_INSTANCE.LEASE_EXPIRES_AT.gt(DSL.currentOffsetDateTime()));
  }

  /** Whether the group has a live member that came through the Kafka door (classic or KIP-848). */
  boolean hasLiveKafkaMembers(String group) {
    return dsl.fetchExists(
        CONSUMER_INSTANCE,
        CONSUMER_INSTANCE.GROUP_NAME.eq(group),
        CONSUMER_INSTANCE.DOOR.eq(InstanceStore.KAFKA_DOOR),
        CONSUMER_INSTANCE.LEASE_EXPIRES_AT.gt(DSL.currentOffsetDateTime()));
  }

  /** Groups with at least one member whose lease has ended. */
  List<String> groupsWithExpiredMembers() {
    return dsl.selectDistinct(CONSUMER_INSTANCE.GROUP_NAME)
        .from(CONSUMER_INSTANCE)
        .where(InstanceStore.ended())
        .fetch(CONSUMER_INSTANCE.GROUP_NAME);
  }

  /**
   * Time from now until the earliest lease of any member ends, or a Kafka member's revocation time
   * (negative when one already has); empty without members.
   */
  Optional<Duration> untilNextLeaseEnd() {
    Long ms = dsl.select(DSL.field(
            "(extract(epoch from min(least({0}, {1})) - now()) * 1000)::bigint",
            Long.class, CONSUMER_INSTANCE.LEASE_EXPIRES_AT, CONSUMER_INSTANCE.REVOKE_BY))
        .from(CONSUMER_INSTANCE)
        .fetchSingle()
        .value1();
    return Optional.ofNullable(ms).map(Duration::ofMillis);
  }

  /** Groups with at least one subscribed member. */
  List<String> groupsWithSubscriptions() {
    return dsl.selectDistinct(CONSUMER_INSTANCE.GROUP_NAME)
        .from(CONSUMER_INSTANCE)
        .where(CONSUMER_INSTANCE
            .SUBSCRIBED_TOPICS
            .isNotNull()
            .or(CONSUMER_INSTANCE.SUBSCRIBED_PATTERN.isNotNull()))
        .fetch(CONSUMER_INSTANCE.GROUP_NAME);
  }

  /** The distinct patterns members subscribe with. */
  List<String> subscribedPatterns() {
    return dsl.selectDistinct(CONSUMER_INSTANCE.SUBSCRIBED_PATTERN)
        .from(CONSUMER_INSTANCE)
        .where(CONSUMER_INSTANCE.SUBSCRIBED_PATTERN.isNotNull())
        .fetch(CONSUMER_INSTANCE.SUBSCRIBED_PATTERN);
  }

  /** One group-assigned partition: its owner, name, key and the topic's Kafka id. */
  record Owned(String instanceId, TopicPartition partition, PartitionKey key, UUID topicUuid) {}

  /** The partitions the group's assignor gave out, by owner. */
  Map<String, List<Owned>> groupAssignment(String group) {
    var a = CONSUMER_ASSIGNMENT;
    return byOwner(
        dsl.select(a.INSTANCE_ID, TOPIC.NAME, a.TOPIC_ID, a.PARTITION_ID, TOPIC.TOPIC_UUID)
            .from(a)
            .join(TOPIC)
            .on(TOPIC.TOPIC_ID.eq(a.TOPIC_ID))
            .where(a.GROUP_NAME.eq(group), a.GENERATION.isNotNull())
            .orderBy(a.INSTANCE_ID, TOPIC.NAME, a.PARTITION_ID)
            .fetch());
  }

  /** The group's target assignment ({@code consumer_target_assignment}), by member. */
  Map<String, List<Owned>> targetAssignment(String group) {
    var t = CONSUMER_TARGET_ASSIGNMENT;
    return byOwner(
        dsl.select(t.INSTANCE_ID, TOPIC.NAME, t.TOPIC_ID, t.PARTITION_ID, TOPIC.TOPIC_UUID)
            .from(t)
            .join(TOPIC)
            .on(TOPIC.TOPIC_ID.eq(t.TOPIC_ID))
            .where(t.GROUP_NAME.eq(group))
            .orderBy(t.INSTANCE_ID, TOPIC.NAME, t.PARTITION_ID)
            .fetch());
  }

  /** Rows of (instance id, topic name, topic id, partition, topic uuid), grouped by owner in order. */
  private static Map<String, List<Owned>> byOwner(
      org.jooq.Result<org.jooq.Record5<String, String, Long, Integer, UUID>> rows) {
    Map<String, List<Owned>> out = new LinkedHashMap<>();
    rows.forEach(r -> out.computeIfAbsent(r.value1(), k -> new java.util.ArrayList<>())
        .add(new Owned(
            r.value1(),
            new TopicPartition(r.value2(), r.value4()),
            new PartitionKey(r.value3(), r.value4()),
            r.value5())));
    return out;
  }

  /** The group's live Kafka member whose member id is {@code memberId}, its row locked. */
  Optional<GroupMember> lockKafkaMember(String group, String memberId) {
    return lockWhere(CONSUMER_INSTANCE
        .GROUP_NAME
        .eq(group)
        .and(CONSUMER_INSTANCE.MEMBER_ID.eq(memberId))
        .and(CONSUMER_INSTANCE.DOOR.eq(InstanceStore.KAFKA_DOOR))
        .and(CONSUMER_INSTANCE.LEASE_EXPIRES_AT.gt(DSL.currentOffsetDateTime())));
  }

  /** The group's live member whose instance id is {@code instanceId} (any door), its row locked. */
  Optional<GroupMember> lockByInstanceId(String group, String instanceId) {
    return lockWhere(InstanceStore.instance(group, instanceId)
        .and(CONSUMER_INSTANCE.LEASE_EXPIRES_AT.gt(DSL.currentOffsetDateTime())));
  }

  /** Every live member of the group (subscribed or not), by instance id. */
  List<GroupMember> live(String group) {
    return dsl.select(memberFields())
        .from(CONSUMER_INSTANCE)
        .where(
            CONSUMER_INSTANCE.GROUP_NAME.eq(group),
            CONSUMER_INSTANCE.LEASE_EXPIRES_AT.gt(DSL.currentOffsetDateTime()))
        .orderBy(CONSUMER_INSTANCE.INSTANCE_ID)
        .fetch(MemberStore::toMember);
  }

  /** Which of {@code keys} the member holds now (by the group's assignment or its own). */
  List<PartitionKey> held(String group, String id, Collection<PartitionKey> keys) {
    return dsl.select(CONSUMER_ASSIGNMENT.TOPIC_ID, CONSUMER_ASSIGNMENT.PARTITION_ID)
        .from(CONSUMER_ASSIGNMENT)
        .where(
            CONSUMER_ASSIGNMENT.GROUP_NAME.eq(group),
            CONSUMER_ASSIGNMENT.INSTANCE_ID.eq(id),
            partitions(keys))
        .fetch(r -> new PartitionKey(r.value1(), r.value2()));
  }

  /**
   * The partitions named by Kafka topic id ({@code topic.topic_uuid}) and number; those of topics
   * that no longer exist are left out.
   */
  List<PartitionKey> keysByTopicUuid(Map<UUID, List<Integer>> partitions) {
    if (partitions.isEmpty()) {
      return List.of();
    }
    List<PartitionKey> out = new java.util.ArrayList<>();
    dsl.select(TOPIC.TOPIC_UUID, TOPIC.TOPIC_ID)
        .from(TOPIC)
        .where(TOPIC.TOPIC_UUID.in(partitions.keySet()))
        .forEach(r ->
            partitions.get(r.value1()).forEach(p -> out.add(new PartitionKey(r.value2(), p))));
    return out;
  }

  static Condition partitions(Collection<PartitionKey> keys) {
    Condition any = DSL.falseCondition();
    for (PartitionKey key : keys) {
      any = any.or(CONSUMER_ASSIGNMENT
          .TOPIC_ID
          .eq(key.topicId())
          .and(CONSUMER_ASSIGNMENT.PARTITION_ID.eq(key.partition())));
    }
    return any;
  }

  private static List<org.jooq.SelectField<?>> memberFields() {
    return List.of(
        CONSUMER_INSTANCE.INSTANCE_ID,
        CONSUMER_INSTANCE.MEMBER_ID,
        CONSUMER_INSTANCE.SUBSCRIBED_TOPICS,
        CONSUMER_INSTANCE.SUBSCRIBED_PATTERN,
        CONSUMER_INSTANCE.ASSIGNMENT_STRATEGY,
        CONSUMER_INSTANCE.AUTO_COMMIT_ENABLE,
        CONSUMER_INSTANCE.GENERATION,
        CONSUMER_INSTANCE.OWNER_PRINCIPAL,
        CONSUMER_INSTANCE.OWNER_HOST,
        CONSUMER_INSTANCE.DOOR,
        CONSUMER_INSTANCE.MEMBER_EPOCH,
        CONSUMER_INSTANCE.PREVIOUS_MEMBER_EPOCH,
        CONSUMER_INSTANCE.CLIENT_ID,
        DSL.exists(DSL.selectOne()
                .from(CONSUMER_ASSIGNMENT)
                .where(
                    CONSUMER_ASSIGNMENT.GROUP_NAME.eq(CONSUMER_INSTANCE.GROUP_NAME),
                    CONSUMER_ASSIGNMENT.INSTANCE_ID.eq(CONSUMER_INSTANCE.INSTANCE_ID),
                    CONSUMER_ASSIGNMENT.GENERATION.isNull()))
            .as("manual"));
  }

  private static GroupMember toMember(Record r) {
    String[] topics = r.get(CONSUMER_INSTANCE.SUBSCRIBED_TOPICS);
    String pattern = r.get(CONSUMER_INSTANCE.SUBSCRIBED_PATTERN);
    Subscription subscription = topics != null
        ? Subscription.ofTopics(List.of(topics))
        : pattern != null ? Subscription.ofPattern(pattern) : null;
    return new GroupMember(
        r.get(CONSUMER_INSTANCE.INSTANCE_ID),
        r.get(CONSUMER_INSTANCE.MEMBER_ID),
        subscription,
        r.get(CONSUMER_INSTANCE.ASSIGNMENT_STRATEGY),
        r.get(CONSUMER_INSTANCE.AUTO_COMMIT_ENABLE),
        r.get(CONSUMER_INSTANCE.GENERATION),
        r.get("manual", Boolean.class),
        new GroupMember.Owner(
            Principal.of(r.get(CONSUMER_INSTANCE.OWNER_PRINCIPAL)),
            r.get(CONSUMER_INSTANCE.OWNER_HOST)),
        InstanceStore.KAFKA_DOOR.equals(r.get(CONSUMER_INSTANCE.DOOR)),
        r.get(CONSUMER_INSTANCE.MEMBER_EPOCH),
        r.get(CONSUMER_INSTANCE.PREVIOUS_MEMBER_EPOCH),
        r.get(CONSUMER_INSTANCE.CLIENT_ID));
  }
}
