package io.rowstream.log;

import io.rowstream.db.SqlErrors;
import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
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
 * Appends chunks to partitions through {@code append_chunks} ({@code sql/R__log_functions.sql}),
 * which locks the partition row, takes each chunk's offsets from its log end offset and moves it:
 * offsets are contiguous, never reused, and become visible in offset order because the row lock
 * orders the commits. Plain JDBC on purpose: this is the hottest statement of the broker, one round
 * trip. Each append carries the leader epoch this node knows for the partition, and the function
 * refuses it when the epoch moved on; the check costs no extra round trip.
 */
public final class PartitionAppender {
  private static final String APPEND =
      "select * from append_chunks(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  /** What became of one chunk: appended (or found already appended: a duplicate), or refused alone. */
  record Outcome(AppendResult appended, boolean duplicate, BrokerException refused) {}

  /** Idempotent sequences wrap to 0 after Integer.MAX_VALUE, as in Kafka. */
  private static final long SEQUENCE_WRAP = 1L << 31;

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
   * Appends each partition's records as consecutive chunks (batches within the topic's
   * max.message.bytes), all partitions in one transaction (rows locked in partition order, so
   * concurrent requests cannot deadlock); all or nothing.
   */
  public List<AppendResult> append(
      Topic topic, SortedMap<Integer, List<LogRecord>> recordsByPartition) {
    long appendTime = clock.millis();
    List<List<EncodedChunk>> chunks = new ArrayList<>(recordsByPartition.size());
    for (Map.Entry<Integer, List<LogRecord>> e : recordsByPartition.entrySet()) {
      chunks.add(encode(
          topic,
          e.getKey(),
          RecordBatchWriter.split(e.getValue(), topic.maxMessageBytes()),
          appendTime));
    }
    // Epochs are looked up before a connection is taken: a cache miss reads them through the pool.
    List<Integer> epochsOf =
        recordsByPartition.keySet().stream().map(p -> epochOf(topic, p)).toList();
    return inTransaction(topic, recordsByPartition.keySet(), c -> {
      List<AppendResult> results = new ArrayList<>(chunks.size());
      int i = 0;
      for (int partition : recordsByPartition.keySet()) {
        results.add(
            spanning(call(c, topic, partition, epochsOf.get(i), chunks.get(i), null, appendTime)));
        i++;
      }
      return results;
    });
  }

  /**
   * Appends an idempotent producer's request that needs several batches, in a transaction of its
   * own: batch i takes the sequences that follow batch i-1's, as a Kafka producer numbers the
   * batches it sends. Committed only when every batch was appended, or every one was a retry of an
   * earlier append of the same batches (then their original offsets are answered); otherwise rolled
   * back and refused, so the request is written whole or not at all.
   */
  AppendResult appendIdempotent(
      Topic topic, int partition, List<List<LogRecord>> batches, ProducerBatch producer) {
    long appendTime = clock.millis();
    List<EncodedChunk> chunks = encode(topic, partition, batches, appendTime);
    List<ProducerBatch> producers = new ArrayList<>(chunks.size());
    long sequence = producer.baseSequence();
    for (EncodedChunk chunk : chunks) {
      producers.add(
          new ProducerBatch(producer.producerId(), producer.producerEpoch(), (int) sequence));
      sequence = (sequence + chunk.recordCount()) % SEQUENCE_WRAP;
    }
    Integer epoch = epochOf(topic, partition);
    return inTransaction(topic, List.of(partition), c -> {
      List<Outcome> outcomes = call(c, topic, partition, epoch, chunks, producers, appendTime);
      BrokerException refused = refusalOfWhole(outcomes, producer, topic, partition);
      if (refused != null) {
        throw refused; // rolled back: nothing of the request stays
      }
      return spanning(outcomes);
    });
  }

  /** Work on one connection that {@link #inTransaction} commits, or rolls back when it throws. */
  private interface Transactional<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T inTransaction(Topic topic, Iterable<Integer> partitions, Transactional<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw translate(topic, partitions, e);
    }
  }

  /**
   * Why a request's batches cannot be committed: the first batch refused, or batches found
   * already appended that are not one earlier request's consecutive batches (mixed with batches
   * appended now, or scattered: its sequences overlap earlier requests cut differently, which
   * Kafka refuses as out of order); null when all were appended or all were one retry.
   */
  private static BrokerException refusalOfWhole(
      List<Outcome> outcomes, ProducerBatch producer, Topic topic, int partition) {
    boolean duplicates = false;
    boolean appended = false;
    for (Outcome o : outcomes) {
      if (o.refused() != null) {
        return o.refused();
      }
      duplicates |= o.duplicate();
      appended |= !o.duplicate();
    }
    return duplicates && (appended || !contiguous(outcomes))
        ? refusal(2, producer, topic, partition)
        : null;
  }

  private static boolean contiguous(List<Outcome> outcomes) {
    for (int i = 1; i < outcomes.size(); i++) {
      if (outcomes.get(i).appended().baseOffset()
          != outcomes.get(i - 1).appended().lastOffset() + 1) {
        return false;
      }
    }
    return true;
  }

  /**
   * One request's consecutive chunks as one result: its first offset to its last. The chunks
   * were appended (or found appended) one after another, so their offsets follow each other.
   */
  static AppendResult spanning(List<Outcome> outcomes) {
    AppendResult first = outcomes.getFirst().appended();
    AppendResult last = first;
    for (Outcome o : outcomes.subList(1, outcomes.size())) {
      if (o.appended() == null || o.appended().baseOffset() != last.lastOffset() + 1) {
        throw new IllegalStateException(
            "batches of one request at offsets that do not follow each other ("
                + last.lastOffset() + ", then "
                + (o.appended() == null ? "refused" : o.appended().baseOffset())
                + "), which indicates a bug");
      }
      last = o.appended();
    }
    return new AppendResult(
        first.partition(), first.baseOffset(), last.lastOffset(), first.appendTimeMs());
  }

  /** The batches encoded as the topic stores them: its timestamp type and its compression. */
  private static List<EncodedChunk> encode(
      Topic topic, int partition, List<List<LogRecord>> batches, long appendTime) {
    List<EncodedChunk> chunks = new ArrayList<>(batches.size());
    for (List<LogRecord> batch : batches) {
      chunks.add(EncodedChunk.encode(topic, partition, batch, appendTime));
    }
    return chunks;
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
  public List<AppendResult> appendChunks(
      Topic topic, int partition, List<EncodedChunk> chunks, long appendTime) {
    return appendChunks(topic, partition, chunks, null, appendTime).stream()
        .map(Outcome::appended)
        .toList();
  }

  /**
   * Appends already encoded chunks to one partition in one statement and its commit (group
   * commit): contiguous offsets in the order given. {@code producers} (null, or one entry per
   * chunk, null for a plain chunk) are checked chunk by chunk: a duplicate answers its original
   * offsets, a refused chunk takes no offsets and leaves the others be.
   */
  List<Outcome> appendChunks(
      Topic topic,
      int partition,
      List<EncodedChunk> chunks,
      List<ProducerBatch> producers,
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

  private static List<Outcome> call(
      Connection c,
      Topic topic,
      int partition,
      Integer epoch,
      List<EncodedChunk> chunks,
      List<ProducerBatch> producers,
      long appendTime)
      throws SQLException {
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
          results.add(
              outcome <= 1
                  ? new Outcome(
                      new AppendResult(partition, base, base + counts[i] - 1, appendTime),
                      outcome == 1,
                      null)
                  : new Outcome(null, false, refusal(outcome, producers.get(i), topic, partition)));
        }
      }
      if (results.isEmpty()) {
        throw BrokerException.partitionNotFound(topic.name(), partition);
      }
      return results;
    }
  }

  private static void setProducers(
      Connection c, PreparedStatement ps, List<ProducerBatch> producers) throws SQLException {
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
    String where = " (producer " + p.producerId() + ", epoch " + p.producerEpoch() + ", sequence "
        + p.baseSequence() + ", partition " + partition + " of topic " + topic.name()
        + "); nothing was written.";
    return switch (outcome) {
      case 2 ->
        new BrokerException(
            BrokerError.OUT_OF_ORDER_SEQUENCE,
            "Out of order sequence: the request does not follow the last one appended" + where);
      case 3 ->
        new BrokerException(
            BrokerError.PRODUCER_FENCED,
            "Producer fenced: a newer epoch of this producer id exists" + where);
      case 4 ->
        new BrokerException(
            BrokerError.UNKNOWN_PRODUCER_ID,
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
