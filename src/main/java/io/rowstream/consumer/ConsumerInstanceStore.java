package io.rowstream.consumer;

import static io.rowstream.db.schema.Tables.CONSUMER_ASSIGNMENT;
import static io.rowstream.db.schema.Tables.CONSUMER_INSTANCE;
import static io.rowstream.db.schema.Tables.TOPIC;

import io.rowstream.BrokerError;
import io.rowstream.BrokerException;
import io.rowstream.db.SqlErrors;
import io.rowstream.db.schema.tables.records.ConsumerInstanceRecord;
import io.rowstream.log.PartitionKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/** All SQL on the {@code consumer_instance} and {@code consumer_assignment} tables. */
public final class ConsumerInstanceStore {
  private final DSLContext dsl;

  public ConsumerInstanceStore(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** Inserts the instance, or fails with CONSUMER_INSTANCE_EXISTS. */
  public void create(ConsumerInstance instance) {
    ConsumerInstanceConfig c = instance.config();
    try {
      dsl.insertInto(CONSUMER_INSTANCE)
          .set(CONSUMER_INSTANCE.GROUP_NAME, instance.group())
          .set(CONSUMER_INSTANCE.INSTANCE_ID, instance.id())
          .set(CONSUMER_INSTANCE.FORMAT, c.format())
          .set(CONSUMER_INSTANCE.AUTO_OFFSET_RESET, c.autoOffsetReset())
          .set(CONSUMER_INSTANCE.AUTO_COMMIT_ENABLE, c.autoCommitEnable())
          .set(CONSUMER_INSTANCE.FETCH_MIN_BYTES, c.fetchMinBytes())
          .set(CONSUMER_INSTANCE.REQUEST_TIMEOUT_MS, c.requestTimeoutMs())
          .execute();
    } catch (DataAccessException e) {
      if (SqlErrors.isUniqueViolation(e)) {
        throw new BrokerException(BrokerError.CONSUMER_INSTANCE_EXISTS, "Consumer instance with the specified name "
            + instance.id() + " already exists in group " + instance.group() + ".");
      }
      throw SqlErrors.translate(e);
    }
  }

  /** The instance, marking it as seen now; empty when it does not exist. */
  public Optional<ConsumerInstance> touch(String group, String id) {
    return dsl.update(CONSUMER_INSTANCE)
        .set(CONSUMER_INSTANCE.LAST_SEEN_AT, DSL.currentOffsetDateTime())
        .where(CONSUMER_INSTANCE.GROUP_NAME.eq(group), CONSUMER_INSTANCE.INSTANCE_ID.eq(id))
        .returning()
        .fetchOptional()
        .map(ConsumerInstanceStore::toInstance);
  }

  public boolean delete(String group, String id) {
    return dsl.deleteFrom(CONSUMER_INSTANCE)
        .where(CONSUMER_INSTANCE.GROUP_NAME.eq(group), CONSUMER_INSTANCE.INSTANCE_ID.eq(id))
        .execute() > 0;
  }

  /** Replaces the instance's assignment; positions of partitions it keeps are kept. */
  public void replaceAssignment(String group, String id, List<PartitionKey> partitions) {
    dsl.transaction(tx -> {
      var keep = DSL.row(CONSUMER_ASSIGNMENT.TOPIC_ID, CONSUMER_ASSIGNMENT.PARTITION_ID)
          .in(partitions.stream().map(k -> DSL.row(k.topicId(), k.partition())).toList());
      tx.dsl().deleteFrom(CONSUMER_ASSIGNMENT)
          .where(CONSUMER_ASSIGNMENT.GROUP_NAME.eq(group), CONSUMER_ASSIGNMENT.INSTANCE_ID.eq(id))
          .and(partitions.isEmpty() ? DSL.trueCondition() : keep.not())
          .execute();
      if (partitions.isEmpty()) {
        return;
      }
      var insert = tx.dsl().insertInto(CONSUMER_ASSIGNMENT, CONSUMER_ASSIGNMENT.GROUP_NAME,
          CONSUMER_ASSIGNMENT.INSTANCE_ID, CONSUMER_ASSIGNMENT.TOPIC_ID, CONSUMER_ASSIGNMENT.PARTITION_ID);
      for (PartitionKey k : partitions) {
        insert = insert.values(group, id, k.topicId(), k.partition());
      }
      insert.onConflictDoNothing().execute();
    });
  }

  /** The instance's assigned partitions with their positions, by topic name and partition. */
  public List<AssignedPartition> assignment(String group, String id) {
    return dsl.select(CONSUMER_ASSIGNMENT.TOPIC_ID, TOPIC.NAME, CONSUMER_ASSIGNMENT.PARTITION_ID,
            CONSUMER_ASSIGNMENT.POSITION)
        .from(CONSUMER_ASSIGNMENT)
        .join(TOPIC).on(TOPIC.TOPIC_ID.eq(CONSUMER_ASSIGNMENT.TOPIC_ID))
        .where(CONSUMER_ASSIGNMENT.GROUP_NAME.eq(group), CONSUMER_ASSIGNMENT.INSTANCE_ID.eq(id))
        .orderBy(TOPIC.NAME, CONSUMER_ASSIGNMENT.PARTITION_ID)
        .fetch(r -> new AssignedPartition(r.value1(), r.value2(), r.value3(), r.value4()));
  }

  /** Sets positions of assigned partitions, all in one transaction. */
  public void setPositions(String group, String id, Map<PartitionKey, Long> positions) {
    if (positions.isEmpty()) {
      return;
    }
    dsl.transaction(tx -> {
      for (var e : positions.entrySet()) {
        tx.dsl().update(CONSUMER_ASSIGNMENT)
            .set(CONSUMER_ASSIGNMENT.POSITION, e.getValue())
            .where(CONSUMER_ASSIGNMENT.GROUP_NAME.eq(group), CONSUMER_ASSIGNMENT.INSTANCE_ID.eq(id),
                CONSUMER_ASSIGNMENT.TOPIC_ID.eq(e.getKey().topicId()),
                CONSUMER_ASSIGNMENT.PARTITION_ID.eq(e.getKey().partition()))
            .execute();
      }
    });
  }

  private static ConsumerInstance toInstance(ConsumerInstanceRecord r) {
    return new ConsumerInstance(r.getGroupName(), r.getInstanceId(), new ConsumerInstanceConfig(r.getFormat(),
        r.getAutoOffsetReset(), r.getAutoCommitEnable(), r.getFetchMinBytes(), r.getRequestTimeoutMs()));
  }
}
