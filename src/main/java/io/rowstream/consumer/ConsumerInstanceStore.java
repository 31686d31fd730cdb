package io.rowstream.consumer;

import static io.rowstream.db.schema.Tables.CONSUMER_ASSIGNMENT;
import static io.rowstream.db.schema.Tables.TOPIC;
import static io.rowstream.db.schema.Tables.TOPIC_PARTITION;

import io.rowstream.db.Tx;
import io.rowstream.db.schema.tables.records.ConsumerInstanceRecord;
import io.rowstream.group.AssignmentStore;
import io.rowstream.group.InstanceStore;
import io.rowstream.log.PartitionKey;
import io.rowstream.log.TopicPartition;
import io.rowstream.security.Caller;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;

/**
 * Consumer instances as rows: an instance's configuration and its assignment with positions and
 * log ranges, read here; every write to {@code consumer_instance} and {@code consumer_assignment}
 * (creation within the {@link ConsumerCaps}, lease renewal; manual assignment, positions) goes
 * through their one writer in the {@code group} package, {@link InstanceStore} and
 * {@link AssignmentStore}, which also keep group membership. A lost race (the instance deleted, a position moved) is a {@code false} or an
 * empty result, never a half-done write.
 */
public final class ConsumerInstanceStore {
  private final DSLContext dsl;
  private final InstanceStore instances;
  private final AssignmentStore assignments;

  public ConsumerInstanceStore(Tx tx) {
    this.dsl = tx.dsl();
    this.instances = new InstanceStore(tx);
    this.assignments = new AssignmentStore(tx);
  }

  /** Inserts the instance, owned by {@code owner}, with a fresh lease, unless a cap or its id is taken ({@link InstanceStore#insert}). */
  InstanceStore.Outcome insert(ConsumerInstance instance, Caller owner, ConsumerCaps caps) {
    ConsumerInstanceRecord row = new ConsumerInstanceRecord();
    row.setGroupName(instance.group());
    row.setInstanceId(instance.id());
    row.setMemberId(instance.memberId());
    row.setOwnerPrincipal(owner.principal().toString());
    row.setOwnerHost(owner.host());
    row.setSessionTimeoutMs(instance.sessionTimeoutMs());
    row.setAssignmentStrategy(instance.assignmentStrategy());
    row.setFormat(instance.format().configName());
    row.setAutoOffsetReset(instance.autoOffsetReset().configName());
    row.setAutoCommitEnable(instance.autoCommitEnable());
    row.setFetchMinBytes(instance.fetchMinBytes());
    row.setRequestTimeoutMs(instance.requestTimeoutMs());
    return instances.insert(row, caps.perGroup(), caps.perPrincipal(), caps.groupsPerPrincipal());
  }

  /** The instance, its lease renewed ({@link InstanceStore#touch}); empty when gone or not {@code caller}'s. */
  Optional<ConsumerInstance> touch(Caller caller, String group, String id, boolean observe) {
    return instances.touch(caller, group, id, observe).map(ConsumerInstanceStore::toInstance);
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

  /** Makes {@code partitions} the instance's whole assignment ({@link AssignmentStore#replaceAssignment}). */
  AssignmentStore.AssignResult replaceAssignment(
      Caller caller, String group, String id, Collection<PartitionKey> partitions) {
    return assignments.replaceAssignment(caller, group, id, partitions);
  }

  /** Sets the positions of assigned partitions, all or none ({@link AssignmentStore#seek}). */
  boolean seek(String group, String id, Map<PartitionKey, Long> positions) {
    return assignments.seek(group, id, positions);
  }

  /** Moves positions past what a read returned, all or none ({@link AssignmentStore#advance}). */
  boolean advance(String group, String id, List<AssignmentStore.Advance> advances) {
    return assignments.advance(group, id, advances);
  }

  /** Sets missing positions ({@link AssignmentStore#initPositions}). */
  void initPositions(String group, String id, Boolean toEarliest) {
    assignments.initPositions(group, id, toEarliest);
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
}
