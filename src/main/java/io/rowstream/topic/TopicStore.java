package io.rowstream.topic;

import static io.rowstream.db.schema.Tables.TOPIC;
import static io.rowstream.db.schema.Tables.TOPIC_PARTITION;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.db.SqlErrors;
import io.rowstream.db.Tx;
import io.rowstream.db.schema.tables.records.TopicRecord;
import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * All SQL on the {@code topic} and {@code topic_partition} tables: the one writer of both (besides
 * the log's {@code append_chunks} function, which moves a partition's log end as it appends). A topic is read together with
 * the cluster-wide config defaults it resolves against ({@link ClusterConfigStore#DEFAULTS}), in
 * the same query.
 */
public final class TopicStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<TreeMap<String, String>> CONFIG_MAP = new TypeReference<>() {};

  private static final String MOVE_LEADERS = """
      update topic_partition p
         set leader_node_id = m.node_id, leader_epoch = p.leader_epoch + 1
        from unnest(?::bigint[], ?::int[], ?::int[]) as m(topic_id, partition_id, node_id)
       where p.topic_id = m.topic_id and p.partition_id = m.partition_id""";

  private final DSLContext dsl;

  /** The store over the statements of {@code tx}. */
  public TopicStore(Tx tx) {
    this(tx.dsl());
  }

  public TopicStore(DSLContext dsl) {
    this.dsl = dsl;
  }

  /**
   * Creates the topic with its partitions (rows only: no segment, no table until a partition's
   * first append), or fails with TOPIC_ALREADY_EXISTS, or with POLICY_VIOLATION when the cluster
   * would have more than {@code maxPartitions} partitions (checked under {@link
   * #lockedPartitionTotal}, so concurrent creations cannot pass the limit together).
   */
  public Topic create(
      String name,
      int partitionCount,
      int replicationFactor,
      Map<String, String> configs,
      int maxPartitions) {
    try {
      return dsl.transactionResult(tx -> {
        requireRoom(lockedPartitionTotal(tx.dsl()), partitionCount, maxPartitions);
        TopicRecord row = tx.dsl()
            .insertInto(TOPIC)
            .set(TOPIC.NAME, name)
            .set(TOPIC.PARTITION_COUNT, partitionCount)
            .set(TOPIC.REPLICATION_FACTOR, (short) replicationFactor)
            .set(TOPIC.CONFIGS, toJson(configs))
            .returning()
            .fetchSingle();
        insertPartitions(tx.dsl(), row.getTopicId(), 0, partitionCount);
        return toTopic(row, ClusterConfigStore.read(tx.dsl()));
      });
    } catch (DataAccessException e) {
      if (SqlErrors.isUniqueViolation(e)) {
        throw alreadyExists(name);
      }
      throw SqlErrors.translate(e);
    }
  }

  static BrokerException alreadyExists(String name) {
    return new BrokerException(
        BrokerError.TOPIC_ALREADY_EXISTS, "Topic '" + name + "' already exists.");
  }

  public Optional<Topic> find(String name) {
    return dsl.select(TOPIC.asterisk(), ClusterConfigStore.DEFAULTS)
        .from(TOPIC)
        .where(TOPIC.NAME.eq(name))
        .fetchOptional()
        .map(TopicStore::toTopic);
  }

  /** The topic, or TOPIC_NOT_FOUND. */
  public Topic require(String name) {
    return find(name).orElseThrow(() -> BrokerException.topicNotFound(name));
  }

  public List<Topic> list() {
    return dsl.select(TOPIC.asterisk(), ClusterConfigStore.DEFAULTS)
        .from(TOPIC)
        .orderBy(TOPIC.NAME)
        .fetch(TopicStore::toTopic);
  }

  /** Deletes the topic and, by cascade, its partitions, segments and chunks. */
  public boolean delete(String name) {
    return dsl.deleteFrom(TOPIC).where(TOPIC.NAME.eq(name)).execute() > 0;
  }

  /** Overrides to set (values already validated) and to remove, of one topic. */
  public record OverrideChanges(Map<String, String> set, Set<String> remove) {}

  /** Sets and removes overrides atomically; {@code set} must already be validated. */
  public Topic alterConfigs(String name, Map<String, String> set, Set<String> remove) {
    return dsl.transactionResult(tx -> {
      TopicRecord row = alterConfigs(tx.dsl(), name, new OverrideChanges(set, remove));
      return toTopic(row, ClusterConfigStore.read(tx.dsl()));
    });
  }

  /**
   * Alters the overrides of several topics in one transaction: all of them, or none when a topic
   * does not exist (TOPIC_NOT_FOUND). Rows are locked in name order, so concurrent calls cannot deadlock.
   */
  public void alterConfigs(Map<String, OverrideChanges> byTopic) {
    dsl.transaction(tx ->
        new TreeMap<>(byTopic).forEach((name, changes) -> alterConfigs(tx.dsl(), name, changes)));
  }

  private static TopicRecord alterConfigs(DSLContext tx, String name, OverrideChanges changes) {
    TopicRecord row = tx.selectFrom(TOPIC)
        .where(TOPIC.NAME.eq(name))
        .forUpdate()
        .fetchOptional()
        .orElseThrow(() -> BrokerException.topicNotFound(name));
    Map<String, String> configs = new TreeMap<>(fromJson(row.getConfigs()));
    configs.keySet().removeAll(changes.remove());
    configs.putAll(changes.set());
    row.setConfigs(toJson(configs));
    row.store();
    return row;
  }

  /**
   * Grows the topic to {@code newCount} partitions; never shrinks it. POLICY_VIOLATION when the
   * cluster would have more than {@code maxPartitions} partitions.
   */
  public Topic addPartitions(String name, int newCount, int maxPartitions) {
    return dsl.transactionResult(tx -> {
      long total = lockedPartitionTotal(tx.dsl());
      TopicRecord row = tx.dsl()
          .selectFrom(TOPIC)
          .where(TOPIC.NAME.eq(name))
          .forUpdate()
          .fetchOptional()
          .orElseThrow(() -> BrokerException.topicNotFound(name));
      int current = row.getPartitionCount();
      requireGrowth(name, current, newCount);
      requireRoom(total, newCount - current, maxPartitions);
      insertPartitions(tx.dsl(), row.getTopicId(), current, newCount);
      row.setPartitionCount(newCount);
      row.store();
      return toTopic(row, ClusterConfigStore.read(tx.dsl()));
    });
  }

  /** INVALID_PARTITIONS unless {@code newCount} is larger than the topic's {@code current} count. */
  static void requireGrowth(String name, int current, int newCount) {
    if (newCount <= current) {
      throw new BrokerException(
          BrokerError.INVALID_PARTITIONS,
          "Topic '" + name + "' has " + current + " partitions; the new count must be larger, got "
              + newCount + ".");
    }
  }

  /** The partitions of all topics together. */
  public long partitionTotal() {
    return dsl.select(DSL.coalesce(DSL.sum(TOPIC.PARTITION_COUNT), DSL.val(BigDecimal.ZERO)))
        .from(TOPIC)
        .fetchSingle()
        .value1()
        .longValueExact();
  }

  /**
   * {@link #partitionTotal}, read after locking the cluster row until the transaction ends: the
   * creations and growths of topics take turns there, so each checks the limit against a total
   * no concurrent one can change before it commits.
   */
  private static long lockedPartitionTotal(DSLContext tx) {
    tx.execute("select 1 from cluster for update");
    return new TopicStore(tx).partitionTotal();
  }

  /** POLICY_VIOLATION unless {@code adding} partitions to {@code total} stay within {@code max}. */
  static void requireRoom(long total, int adding, int max) {
    if (total + adding > max) {
      throw new BrokerException(
          BrokerError.POLICY_VIOLATION,
          "The cluster has " + total + " partitions; " + adding + " more would pass its limit of "
              + max + " (ROWSTREAM_MAX_PARTITIONS).");
    }
  }

  /** The rows of every partition of every topic, by topic id, each topic's by partition id: one query. */
  public Map<Long, List<PartitionState>> partitionsByTopic() {
    Map<Long, List<PartitionState>> byTopic = new HashMap<>();
    dsl.selectFrom(TOPIC_PARTITION)
        .orderBy(TOPIC_PARTITION.TOPIC_ID, TOPIC_PARTITION.PARTITION_ID)
        .forEach(r -> byTopic
            .computeIfAbsent(r.getTopicId(), t -> new ArrayList<>())
            .add(new PartitionState(
                r.getTopicId(),
                r.getPartitionId(),
                r.getLogStartOffset(),
                r.getLogEndOffset(),
                r.getLeaderNodeId(),
                r.getLeaderEpoch())));
    return byTopic;
  }

  public List<PartitionState> partitions(long topicId) {
    return dsl.selectFrom(TOPIC_PARTITION)
        .where(TOPIC_PARTITION.TOPIC_ID.eq(topicId))
        .orderBy(TOPIC_PARTITION.PARTITION_ID)
        .fetch(r -> new PartitionState(
            r.getTopicId(),
            r.getPartitionId(),
            r.getLogStartOffset(),
            r.getLogEndOffset(),
            r.getLeaderNodeId(),
            r.getLeaderEpoch()));
  }

  public PartitionState partition(Topic topic, int partition) {
    if (!topic.hasPartition(partition)) {
      throw BrokerException.partitionNotFound(topic.name(), partition);
    }
    return dsl.selectFrom(TOPIC_PARTITION)
        .where(TOPIC_PARTITION.TOPIC_ID.eq(topic.id()), TOPIC_PARTITION.PARTITION_ID.eq(partition))
        .fetchOptional(r -> new PartitionState(
            r.getTopicId(),
            r.getPartitionId(),
            r.getLogStartOffset(),
            r.getLogEndOffset(),
            r.getLeaderNodeId(),
            r.getLeaderEpoch()))
        .orElseThrow(() -> BrokerException.partitionNotFound(topic.name(), partition));
  }

  /**
   * Moves a partition's log start forward to {@code newLogStart} (never back), unless its log ends
   * before it; false when no row moved (the partition was deleted meanwhile). Retention runs it in
   * the transaction that deletes the segments below it.
   */
  public boolean advanceLogStart(long topicId, int partition, long newLogStart) {
    return dsl.update(TOPIC_PARTITION)
            .set(
                TOPIC_PARTITION.LOG_START_OFFSET,
                DSL.greatest(TOPIC_PARTITION.LOG_START_OFFSET, DSL.val(newLogStart)))
            .where(
                TOPIC_PARTITION.TOPIC_ID.eq(topicId),
                TOPIC_PARTITION.PARTITION_ID.eq(partition),
                TOPIC_PARTITION.LOG_END_OFFSET.ge(newLogStart))
            .execute()
        > 0;
  }

  /** Moves a partition's cleaner checkpoint forward (never back). */
  public void advanceCleanerCheckpoint(long topicId, int partition, long offset) {
    dsl.update(TOPIC_PARTITION)
        .set(
            TOPIC_PARTITION.CLEANER_CHECKPOINT,
            DSL.greatest(TOPIC_PARTITION.CLEANER_CHECKPOINT, DSL.val(offset)))
        .where(TOPIC_PARTITION.TOPIC_ID.eq(topicId), TOPIC_PARTITION.PARTITION_ID.eq(partition))
        .execute();
  }

  /** A partition's leader (null: none yet) and leader epoch. */
  public record PartitionLeader(long topicId, int partition, Integer nodeId, int epoch) {}

  /** Every partition's leader and epoch. */
  public List<PartitionLeader> leaders() {
    return dsl.select(
            TOPIC_PARTITION.TOPIC_ID,
            TOPIC_PARTITION.PARTITION_ID,
            TOPIC_PARTITION.LEADER_NODE_ID,
            TOPIC_PARTITION.LEADER_EPOCH)
        .from(TOPIC_PARTITION)
        .fetch(r -> new PartitionLeader(r.value1(), r.value2(), r.value3(), r.value4()));
  }

  /** The leader and epoch of each partition of a topic. */
  public List<PartitionLeader> leaders(long topicId) {
    return dsl.select(
            TOPIC_PARTITION.PARTITION_ID,
            TOPIC_PARTITION.LEADER_NODE_ID,
            TOPIC_PARTITION.LEADER_EPOCH)
        .from(TOPIC_PARTITION)
        .where(TOPIC_PARTITION.TOPIC_ID.eq(topicId))
        .fetch(r -> new PartitionLeader(topicId, r.value1(), r.value2(), r.value3()));
  }

  /** A partition's new leader. */
  public record LeaderMove(long topicId, int partition, int nodeId) {}

  /**
   * Gives each partition its new leader and bumps its leader epoch, in one statement on this
   * store's connection (the controller's session, inside its pass's transaction).
   */
  public void moveLeaders(List<LeaderMove> moves) {
    dsl.connection(session -> {
      try (PreparedStatement ps = session.prepareStatement(MOVE_LEADERS)) {
        ps.setArray(
            1,
            session.createArrayOf(
                "int8", moves.stream().map(LeaderMove::topicId).toArray(Long[]::new)));
        ps.setArray(
            2,
            session.createArrayOf(
                "int4", moves.stream().map(LeaderMove::partition).toArray(Integer[]::new)));
        ps.setArray(
            3,
            session.createArrayOf(
                "int4", moves.stream().map(LeaderMove::nodeId).toArray(Integer[]::new)));
        ps.executeUpdate();
      }
    });
  }

  private static void insertPartitions(DSLContext tx, long topicId, int from, int to) {
    // One statement for any count (a row per partition, nothing else: a partition gets its first
    // segment and that segment's table at its first append, append_chunks).
    tx.execute(
        "insert into topic_partition (topic_id, partition_id) select {0}, p from generate_series({1}, {2}) p",
        DSL.val(topicId), DSL.val(from), DSL.val(to - 1));
    // A first leader for each new partition, round robin over the live brokers (starting at a
    // topic-dependent one), so that metadata names a leader at once; the controller keeps it or
    // moves it on its next pass.
    tx.execute("""
        update topic_partition p set leader_node_id = b.node_id, leader_epoch = p.leader_epoch + 1
          from (select node_id, row_number() over (order by node_id) - 1 as i, count(*) over () as n
                  from broker where lease_expires_at > now()) b
         where p.topic_id = {0} and p.partition_id >= {1} and b.i = (p.partition_id + {0}) % b.n""", DSL.val(topicId), DSL.val(from));
  }

  /** A row of {@code topic} with the {@link ClusterConfigStore#DEFAULTS} column. */
  private static Topic toTopic(Record r) {
    return toTopic(r.into(TOPIC), ClusterConfigStore.parse(r.get(ClusterConfigStore.DEFAULTS)));
  }

  private static Topic toTopic(TopicRecord row, ClusterDefaults defaults) {
    return new Topic(
        row.getTopicId(),
        row.getName(),
        row.getPartitionCount(),
        row.getReplicationFactor(),
        fromJson(row.getConfigs()),
        defaults,
        row.getTopicUuid());
  }

  private static JSONB toJson(Map<String, String> configs) {
    try {
      return JSONB.valueOf(JSON.writeValueAsString(new TreeMap<>(configs)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("config map not serializable indicates a bug", e);
    }
  }

  /** A jsonb object of strings, as {@code topic.configs} holds. */
  static Map<String, String> fromJson(JSONB json) {
    try {
      return json == null ? new HashMap<>() : JSON.readValue(json.data(), CONFIG_MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("not a JSON object of strings: " + json.data(), e);
    }
  }
}
