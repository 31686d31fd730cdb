package io.rowstream.log;

import io.rowstream.BrokerError;
import io.rowstream.BrokerException;
import io.rowstream.db.SqlErrors;
import io.rowstream.topic.Topic;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import javax.sql.DataSource;

/**
 * Appends chunks to partitions through {@code append_chunks} (migration V5), which locks the
 * partition row, takes each chunk's offsets from its log end offset and moves it: offsets are
 * contiguous, never reused, and become visible in offset order because the row lock orders the
 * commits. Plain JDBC on purpose: this is the hottest statement of the broker, one round trip.
 * Each append carries the leader epoch this node knows for the partition, and the function
 * refuses it when the epoch moved on (migration V8); the check costs no extra round trip.
 */
public final class PartitionAppender {
  private static final String APPEND = "select * from append_chunks(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  /** What became of one chunk: appended (or found already appended), or refused alone. */
  record Outcome(AppendResult appended, BrokerException refused) {}

  private final DataSource dataSource;
  private final Clock clock;
  private final LeaderEpochs epochs;

  /** Appends under the leader epochs {@code epochs} gives; the database refuses stale ones. */
  public PartitionAppender(DataSource dataSource, Clock clock, LeaderEpochs epochs) {
    this.dataSource = dataSource;
    this.clock = clock;
    this.epochs = epochs;
  }

  /**
   * Appends each partition's records as one chunk, all partitions in one transaction (rows
   * locked in partition order, so concurrent requests cannot deadlock); all or nothing.
   */
  public List<AppendResult> append(Topic topic, SortedMap<Integer, List<LogRecord>> recordsByPartition) {
    long appendTime = clock.millis();
    List<EncodedChunk> chunks = new ArrayList<>(recordsByPartition.size());
    for (List<LogRecord> records : recordsByPartition.values()) {
      chunks.add(EncodedChunk.encode(records, topic.logAppendTime(), appendTime));
    }
    // Epochs are looked up before a connection is taken: a cache miss reads them through the pool.
    List<Integer> epochsOf = recordsByPartition.keySet().stream().map(p -> epochOf(topic, p)).toList();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        List<AppendResult> results = new ArrayList<>(chunks.size());
        int i = 0;
        for (Map.Entry<Integer, List<LogRecord>> e : recordsByPartition.entrySet()) {
          results.add(call(c, topic, e.getKey(), epochsOf.get(i), List.of(chunks.get(i)), null, appendTime)
              .getFirst().appended());
          i++;
        }
        c.commit();
        return results;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw translate(topic, recordsByPartition.keySet(), e);
    }
  }

  /** A refused epoch also makes the node forget what it knew of the partitions' leadership. */
  private BrokerException translate(Topic topic, Iterable<Integer> partitions, SQLException e) {
    BrokerException error = SqlErrors.translate(e);
    if (error.error() == BrokerError.FENCED_LEADER_EPOCH) {
      partitions.forEach(p -> epochs.stale(new PartitionKey(topic.id(), p)));
    }
    return error;
  }

  /** As {@link #appendChunks(Topic, int, List, List, long)} for chunks of no idempotent producer. */
  public List<AppendResult> appendChunks(Topic topic, int partition, List<EncodedChunk> chunks, long appendTime) {
    return appendChunks(topic, partition, chunks, null, appendTime).stream().map(Outcome::appended).toList();
  }

  /**
   * Appends already encoded chunks to one partition in one statement and its commit (group
   * commit): contiguous offsets in the order given. {@code producers} (null, or one entry per
   * chunk, null for a plain chunk) are checked chunk by chunk: a duplicate answers its original
   * offsets, a refused chunk takes no offsets and leaves the others be.
   */
  List<Outcome> appendChunks(Topic topic, int partition, List<EncodedChunk> chunks, List<ProducerBatch> producers,
      long appendTime) {
    Integer epoch = epochOf(topic, partition);
    try (Connection c = dataSource.getConnection()) {
      return call(c, topic, partition, epoch, chunks, producers, appendTime);
    } catch (SQLException e) {
      throw translate(topic, List.of(partition), e);
    }
  }

  private Integer epochOf(Topic topic, int partition) {
    return epochs.epoch(new PartitionKey(topic.id(), partition));
  }

  private static List<Outcome> call(Connection c, Topic topic, int partition, Integer epoch,
      List<EncodedChunk> chunks, List<ProducerBatch> producers, long appendTime) throws SQLException {
    int n = chunks.size();
    Integer[] sizes = new Integer[n];
    Integer[] counts = new Integer[n];
    Long[] minTs = new Long[n];
    Long[] maxTs = new Long[n];
    int total = 0;
    for (int i = 0; i < n; i++) {
      EncodedChunk chunk = chunks.get(i);
      sizes[i] = chunk.sizeBytes();
      counts[i] = chunk.recordCount();
      minTs[i] = chunk.minTimestampMs();
      maxTs[i] = chunk.maxTimestampMs();
      total += chunk.sizeBytes();
    }
    try (PreparedStatement ps = c.prepareStatement(APPEND)) {
      ps.setLong(1, topic.id());
      ps.setInt(2, partition);
      ps.setObject(3, epoch, java.sql.Types.INTEGER);
      ps.setLong(4, topic.segmentBytes());
      ps.setLong(5, topic.segmentMs());
      ps.setBytes(6, n == 1 ? chunks.getFirst().batch() : concat(chunks, total));
      ps.setArray(7, c.createArrayOf("int4", sizes));
      ps.setArray(8, c.createArrayOf("int4", counts));
      ps.setArray(9, c.createArrayOf("int8", minTs));
      ps.setArray(10, c.createArrayOf("int8", maxTs));
      setProducers(c, ps, producers);
      List<Outcome> results = new ArrayList<>(n);
      try (ResultSet rs = ps.executeQuery()) {
        for (int i = 0; rs.next(); i++) {
          long base = rs.getLong(1);
          int outcome = rs.getInt(2);
          results.add(outcome <= 1
              ? new Outcome(new AppendResult(partition, base, base + counts[i] - 1, appendTime), null)
              : new Outcome(null, refusal(outcome, producers.get(i), topic, partition)));
        }
      }
      if (results.isEmpty()) {
        throw BrokerException.partitionNotFound(topic.name(), partition);
      }
      return results;
    }
  }

  private static void setProducers(Connection c, PreparedStatement ps, List<ProducerBatch> producers)
      throws SQLException {
    if (producers == null || producers.stream().allMatch(java.util.Objects::isNull)) {
      ps.setNull(11, java.sql.Types.ARRAY);
      ps.setNull(12, java.sql.Types.ARRAY);
      ps.setNull(13, java.sql.Types.ARRAY);
      return;
    }
    int n = producers.size();
    Long[] ids = new Long[n];
    Integer[] epochs = new Integer[n];
    Integer[] sequences = new Integer[n];
    for (int i = 0; i < n; i++) {
      ProducerBatch p = producers.get(i);
      if (p != null) {
        ids[i] = p.producerId();
        epochs[i] = (int) p.producerEpoch();
        sequences[i] = p.baseSequence();
      }
    }
    ps.setArray(11, c.createArrayOf("int8", ids));
    ps.setArray(12, c.createArrayOf("int4", epochs));
    ps.setArray(13, c.createArrayOf("int4", sequences));
  }

  private static BrokerException refusal(int outcome, ProducerBatch p, Topic topic, int partition) {
    String where = " (producer " + p.producerId() + ", epoch " + p.producerEpoch() + ", sequence " + p.baseSequence()
        + ", partition " + partition + " of topic " + topic.name() + "); nothing was written.";
    return switch (outcome) {
      case 2 -> new BrokerException(BrokerError.OUT_OF_ORDER_SEQUENCE,
          "Out of order sequence: the request does not follow the last one appended" + where);
      case 3 -> new BrokerException(BrokerError.PRODUCER_FENCED,
          "Producer fenced: a newer epoch of this producer id exists" + where);
      case 4 -> new BrokerException(BrokerError.UNKNOWN_PRODUCER_ID,
          "Unknown producer id or epoch: obtain one with POST /producers" + where);
      default -> throw new IllegalStateException("append outcome " + outcome + " indicates a bug");
    };
  }

  private static byte[] concat(List<EncodedChunk> chunks, int total) {
    byte[] out = new byte[total];
    int at = 0;
    for (EncodedChunk chunk : chunks) {
      System.arraycopy(chunk.batch(), 0, out, at, chunk.sizeBytes());
      at += chunk.sizeBytes();
    }
    return out;
  }
}
