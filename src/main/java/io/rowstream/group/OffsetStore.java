package io.rowstream.group;

import static io.rowstream.db.schema.Tables.COMMITTED_OFFSET;
import static io.rowstream.db.schema.Tables.CONSUMER_ASSIGNMENT;
import static io.rowstream.db.schema.Tables.TOPIC;

import io.rowstream.db.Tx;
import io.rowstream.log.PartitionKey;
import io.rowstream.log.TopicPartition;
import java.util.Collection;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * All SQL on {@code committed_offset}. An explicit commit sets the offset, even lower than
 * before (as Kafka's {@code commitSync(offsets)}), with its leader epoch; a commit of positions
 * (auto-commit, commit of all consumed) only moves it forward, and clears the epoch (an HTTP
 * position has none).
 */
final class OffsetStore {
  private final DSLContext dsl;

  OffsetStore(Tx tx) {
    this.dsl = tx.dsl();
  }

  /** Sets the committed offsets as given. */
  void commit(String group, List<GroupOffset> commits, Integer generation) {
    if (commits.isEmpty()) {
      return;
    }
    var insert = dsl.insertInto(
        COMMITTED_OFFSET,
        COMMITTED_OFFSET.GROUP_NAME,
        COMMITTED_OFFSET.TOPIC_ID,
        COMMITTED_OFFSET.PARTITION_ID,
        COMMITTED_OFFSET.COMMITTED_OFFSET_,
        COMMITTED_OFFSET.METADATA,
        COMMITTED_OFFSET.GENERATION,
        COMMITTED_OFFSET.LEADER_EPOCH);
    for (GroupOffset c : commits) {
      insert = insert.values(
          group,
          c.key().topicId(),
          c.key().partition(),
          c.offset(),
          c.metadata(),
          generation,
          c.leaderEpoch());
    }
    insert
        .onConflict(
            COMMITTED_OFFSET.GROUP_NAME, COMMITTED_OFFSET.TOPIC_ID, COMMITTED_OFFSET.PARTITION_ID)
        .doUpdate()
        .set(COMMITTED_OFFSET.COMMITTED_OFFSET_, DSL.excluded(COMMITTED_OFFSET.COMMITTED_OFFSET_))
        .set(COMMITTED_OFFSET.METADATA, DSL.excluded(COMMITTED_OFFSET.METADATA))
        .set(COMMITTED_OFFSET.GENERATION, DSL.excluded(COMMITTED_OFFSET.GENERATION))
        .set(COMMITTED_OFFSET.LEADER_EPOCH, DSL.excluded(COMMITTED_OFFSET.LEADER_EPOCH))
        .set(COMMITTED_OFFSET.COMMITTED_AT, DSL.currentOffsetDateTime())
        .execute();
  }

  /**
   * Commits the instance's positions (what it has consumed) in the partitions it holds, all of
   * them or only {@code only}; a committed offset never moves back this way.
   */
  void commitPositions(
      String group, String instanceId, Collection<PartitionKey> only, Integer generation) {
    Condition which = CONSUMER_ASSIGNMENT
        .GROUP_NAME
        .eq(group)
        .and(CONSUMER_ASSIGNMENT.INSTANCE_ID.eq(instanceId))
        .and(CONSUMER_ASSIGNMENT.POSITION.isNotNull());
    if (only != null) {
      which = which.and(MemberStore.partitions(only));
    }
    dsl.insertInto(
            COMMITTED_OFFSET,
            COMMITTED_OFFSET.GROUP_NAME,
            COMMITTED_OFFSET.TOPIC_ID,
            COMMITTED_OFFSET.PARTITION_ID,
            COMMITTED_OFFSET.COMMITTED_OFFSET_,
            COMMITTED_OFFSET.GENERATION)
        .select(DSL.select(
                CONSUMER_ASSIGNMENT.GROUP_NAME,
                CONSUMER_ASSIGNMENT.TOPIC_ID,
                CONSUMER_ASSIGNMENT.PARTITION_ID,
                CONSUMER_ASSIGNMENT.POSITION,
                DSL.val(generation))
            .from(CONSUMER_ASSIGNMENT)
            .where(which))
        .onConflict(
            COMMITTED_OFFSET.GROUP_NAME, COMMITTED_OFFSET.TOPIC_ID, COMMITTED_OFFSET.PARTITION_ID)
        .doUpdate()
        .set(COMMITTED_OFFSET.COMMITTED_OFFSET_, DSL.excluded(COMMITTED_OFFSET.COMMITTED_OFFSET_))
        .set(COMMITTED_OFFSET.METADATA, "")
        .set(COMMITTED_OFFSET.GENERATION, DSL.excluded(COMMITTED_OFFSET.GENERATION))
        .setNull(COMMITTED_OFFSET.LEADER_EPOCH) // an HTTP position carries no epoch
        .set(COMMITTED_OFFSET.COMMITTED_AT, DSL.currentOffsetDateTime())
        .where(
            COMMITTED_OFFSET.COMMITTED_OFFSET_.lt(DSL.excluded(COMMITTED_OFFSET.COMMITTED_OFFSET_)))
        .execute();
  }

  /** Deletes the group's committed offsets among {@code keys}. */
  void delete(String group, Collection<PartitionKey> keys) {
    dsl.deleteFrom(COMMITTED_OFFSET)
        .where(COMMITTED_OFFSET.GROUP_NAME.eq(group), among(keys))
        .execute();
  }

  /** Deletes every committed offset of the group. */
  void deleteAll(String group) {
    dsl.deleteFrom(COMMITTED_OFFSET)
        .where(COMMITTED_OFFSET.GROUP_NAME.eq(group))
        .execute();
  }

  /** The committed offsets among {@code keys}; partitions without a commit are left out. */
  List<GroupOffset> committed(String group, Collection<PartitionKey> keys) {
    return dsl.select(
            COMMITTED_OFFSET.TOPIC_ID,
            COMMITTED_OFFSET.PARTITION_ID,
            COMMITTED_OFFSET.COMMITTED_OFFSET_,
            COMMITTED_OFFSET.METADATA,
            COMMITTED_OFFSET.LEADER_EPOCH)
        .from(COMMITTED_OFFSET)
        .where(COMMITTED_OFFSET.GROUP_NAME.eq(group), among(keys))
        .fetch(r -> new GroupOffset(
            new PartitionKey(r.value1(), r.value2()), r.value3(), r.value4(), r.value5()));
  }

  /** Every committed offset of the group, by topic name and partition. */
  List<GroupOffsets.Committed> all(String group) {
    return dsl.select(
            TOPIC.NAME,
            COMMITTED_OFFSET.PARTITION_ID,
            COMMITTED_OFFSET.COMMITTED_OFFSET_,
            COMMITTED_OFFSET.METADATA,
            COMMITTED_OFFSET.LEADER_EPOCH)
        .from(COMMITTED_OFFSET)
        .join(TOPIC)
        .on(TOPIC.TOPIC_ID.eq(COMMITTED_OFFSET.TOPIC_ID))
        .where(COMMITTED_OFFSET.GROUP_NAME.eq(group))
        .orderBy(TOPIC.NAME, COMMITTED_OFFSET.PARTITION_ID)
        .fetch(r -> new GroupOffsets.Committed(
            new TopicPartition(r.value1(), r.value2()), r.value3(), r.value4(), r.value5()));
  }

  /** The rows of {@code keys}' partitions. */
  private static Condition among(Collection<PartitionKey> keys) {
    Condition any = DSL.falseCondition();
    for (PartitionKey key : keys) {
      any = any.or(COMMITTED_OFFSET
          .TOPIC_ID
          .eq(key.topicId())
          .and(COMMITTED_OFFSET.PARTITION_ID.eq(key.partition())));
    }
    return any;
  }
}
