package io.rowstream.log;

import static io.rowstream.db.schema.Tables.SEGMENT;

import io.rowstream.db.Database;
import io.rowstream.db.SqlErrors;
import io.rowstream.db.StorageTable;
import io.rowstream.db.Tx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * The SQL of the chunks of every partition: appends through {@code append_chunks} and reads through
 * {@code read_chunks} (both in {@code sql/R__log_functions.sql}), and the time index over segments
 * and chunks. The append and the read run on every produce and every fetch: plain JDBC on the pool,
 * one statement and one round trip each. Database failures surface translated ({@link SqlErrors}):
 * a stale leader epoch as FENCED_LEADER_EPOCH, the rest as retriable or internal errors.
 */
public final class ChunkStore {
  private static final String APPEND =
      "select * from append_chunks(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  /**
   * READ for many partitions in one statement (each partition as {@code read_chunks} reads it, all
   * on one snapshot): rows numbered by the partition's place in the request.
   */
  private static final String READ_ALL = """
      select k.n, r.log_start_offset, r.log_end_offset, r.batch
        from unnest(?::bigint[], ?::int[], ?::bigint[], ?::bigint[])
               with ordinality k(topic_id, partition_id, from_offset, max_bytes, n)
       cross join lateral read_chunks(k.topic_id, k.partition_id, k.from_offset, k.max_bytes, ?) r
       order by k.n, r.base_offset""";

  /** The ranges of many partitions, in one statement. */
  private static final String RANGES = """
      select p.topic_id, p.partition_id, p.log_start_offset, p.log_end_offset
        from unnest(?::bigint[], ?::int[]) k(topic_id, partition_id)
        join topic_partition p using (topic_id, partition_id)""";

  /**
   * APPEND for several partitions in one statement: each partition's call gets its slice of the
   * flattened chunk arrays, in the order given (which is the order their rows are locked in); rows
   * numbered by the append's place, then by the chunk's.
   */
  private static final String APPEND_ALL = """
      select k.n, a.base_offset, a.outcome, a.log_start_offset
        from unnest(?::bigint[], ?::int[], ?::int[], ?::bigint[], ?::bigint[], ?::bytea[],
                    ?::int[], ?::int[])
               with ordinality k(topic_id, partition_id, leader_epoch, segment_bytes, segment_ms,
                                 batches, first_chunk, last_chunk, n)
       cross join lateral append_chunks(
               k.topic_id, k.partition_id, k.leader_epoch, k.segment_bytes, k.segment_ms, k.batches,
               (?::int[])[k.first_chunk:k.last_chunk], (?::int[])[k.first_chunk:k.last_chunk],
               (?::bigint[])[k.first_chunk:k.last_chunk], (?::bigint[])[k.first_chunk:k.last_chunk],
               (?::bigint[])[k.first_chunk:k.last_chunk], (?::int[])[k.first_chunk:k.last_chunk],
               (?::int[])[k.first_chunk:k.last_chunk])
               with ordinality a(base_offset, outcome, log_start_offset, i)
       order by k.n, a.i""";

  /** The range, then the chunks from {@code from} within the byte budget. */
  private static final String READ =
      "select log_start_offset, log_end_offset, batch from read_chunks(?, ?, ?, ?, ?)";

  /**
   * One call of {@code append_chunks}: chunks for one partition, appended in the order given under
   * {@code leaderEpoch} (null: not checked). {@code producers} is null, or one entry per chunk (null
   * for a chunk of no idempotent producer).
   */
  public record ChunkAppend(
      long topicId,
      int partition,
      Integer leaderEpoch,
      long segmentBytes,
      long segmentMs,
      List<EncodedChunk> chunks,
      List<ProducerBatch> producers) {}

  /** What {@code append_chunks} answered for one chunk, by its {@code outcome} column. */
  public enum AppendOutcome {
    APPENDED,
    /** A recent chunk of the same producer, epoch and sequence: its original base offset. */
    DUPLICATE,
    OUT_OF_ORDER_SEQUENCE,
    PRODUCER_FENCED,
    UNKNOWN_PRODUCER_ID;

    private static AppendOutcome of(int code) {
      if (code < 0 || code >= values().length) {
        throw new IllegalStateException("append outcome " + code + " indicates a bug");
      }
      return values()[code];
    }
  }

  /**
   * One chunk's answer: its base offset (when appended or a duplicate), its outcome, and the
   * partition's log start offset.
   */
  public record AppendedChunk(long baseOffset, AppendOutcome outcome, long logStartOffset) {}

  /** A read: the partition's range as the read's snapshot saw it, and whole stored batches. */
  public record ChunkRead(long logStartOffset, long logEndOffset, List<byte[]> batches) {}

  /** A partition's committed [log start, log end). */
  public record LogRange(long logStartOffset, long logEndOffset) {}

  private final DataSource dataSource;
  private final DSLContext dsl;

  public ChunkStore(Database database) {
    this.dataSource = database.dataSource();
    this.dsl = database.dsl();
  }

  /**
   * Appends in one statement and its own commit; an empty answer: the partition does not exist.
   */
  public List<AppendedChunk> append(ChunkAppend append) {
    try (Connection c = dataSource.getConnection()) {
      return call(c, append);
    } catch (SQLException e) {
      throw SqlErrors.translate(e);
    }
  }

  /**
   * Opens the partition's active segment, with its table, unless it has one, in a statement and
   * commit of its own ({@code ensure_active_segment}, {@code sql/R__segment_functions.sql}); false
   * when it gave up waiting for the attach lock (the append will open it) or the partition is gone.
   */
  public boolean ensureActiveSegment(PartitionKey key) {
    return dsl.resultQuery(
            "select ensure_active_segment({0}, {1})",
            DSL.val(key.topicId()), DSL.val(key.partition()))
        .fetchSingle()
        .get(0, Boolean.class);
  }

  /** The appends of one transaction ({@link #inTransaction}). */
  public static final class Appends {
    private final Connection connection;

    private Appends(Connection connection) {
      this.connection = connection;
    }

    /**
     * A handle on this transaction for other stores, so that their statements commit or roll back
     * with the appends (a mover deletes the rows it appends in the same transaction).
     */
    public Tx tx() {
      return Tx.of(DSL.using(connection, SQLDialect.POSTGRES));
    }

    /** As {@link ChunkStore#append}, in this transaction. */
    public List<AppendedChunk> append(ChunkAppend append) {
      try {
        return call(connection, append);
      } catch (SQLException e) {
        throw SqlErrors.translate(e);
      }
    }

    /**
     * {@link #append} of each, in one statement (one round trip for a request or a move that
     * spans partitions), in the order given: the answers in that order, each empty when its
     * partition does not exist. Each append has at least one chunk.
     */
    public List<List<AppendedChunk>> appendAll(List<ChunkAppend> appends) {
      if (appends.size() == 1) {
        return List.of(append(appends.getFirst()));
      }
      try {
        return callAll(connection, appends);
      } catch (SQLException e) {
        throw SqlErrors.translate(e);
      }
    }
  }

  /** Runs {@code work} in one transaction on one connection: committed, or rolled back when it throws. */
  public <T> T inTransaction(Function<Appends, T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.apply(new Appends(c));
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw SqlErrors.translate(e);
    }
  }

  private static List<AppendedChunk> call(Connection c, ChunkAppend append) throws SQLException {
    ChunkColumns columns = new ChunkColumns();
    byte[] batches = columns.add(append);
    try (PreparedStatement ps = c.prepareStatement(APPEND)) {
      ps.setLong(1, append.topicId());
      ps.setInt(2, append.partition());
      ps.setObject(3, append.leaderEpoch(), Types.INTEGER);
      ps.setLong(4, append.segmentBytes());
      ps.setLong(5, append.segmentMs());
      ps.setBytes(6, batches);
      columns.set(c, ps, 7);
      List<AppendedChunk> results = new ArrayList<>(append.chunks().size());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          results.add(
              new AppendedChunk(rs.getLong(1), AppendOutcome.of(rs.getInt(2)), rs.getLong(3)));
        }
      }
      return results;
    }
  }

  private static List<List<AppendedChunk>> callAll(Connection c, List<ChunkAppend> appends)
      throws SQLException {
    int n = appends.size();
    Long[] topics = new Long[n];
    Integer[] partitions = new Integer[n];
    Integer[] epochs = new Integer[n];
    Long[] segmentBytes = new Long[n];
    Long[] segmentMs = new Long[n];
    byte[][] batches = new byte[n][];
    Integer[] first = new Integer[n];
    Integer[] last = new Integer[n];
    ChunkColumns columns = new ChunkColumns();
    for (int k = 0; k < n; k++) {
      ChunkAppend append = appends.get(k);
      if (append.chunks().isEmpty()) {
        throw new IllegalArgumentException("an append of no chunks");
      }
      topics[k] = append.topicId();
      partitions[k] = append.partition();
      epochs[k] = append.leaderEpoch();
      segmentBytes[k] = append.segmentBytes();
      segmentMs[k] = append.segmentMs();
      first[k] = columns.size() + 1;
      batches[k] = columns.add(append);
      last[k] = columns.size();
    }
    try (PreparedStatement ps = c.prepareStatement(APPEND_ALL)) {
      ps.setArray(1, c.createArrayOf("int8", topics));
      ps.setArray(2, c.createArrayOf("int4", partitions));
      ps.setArray(3, c.createArrayOf("int4", epochs));
      ps.setArray(4, c.createArrayOf("int8", segmentBytes));
      ps.setArray(5, c.createArrayOf("int8", segmentMs));
      ps.setArray(6, c.createArrayOf("bytea", batches));
      ps.setArray(7, c.createArrayOf("int4", first));
      ps.setArray(8, c.createArrayOf("int4", last));
      columns.set(c, ps, 9);
      List<List<AppendedChunk>> results = new ArrayList<>(n);
      for (int k = 0; k < n; k++) {
        results.add(new ArrayList<>());
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          results
              .get(rs.getInt(1) - 1)
              .add(new AppendedChunk(rs.getLong(2), AppendOutcome.of(rs.getInt(3)), rs.getLong(4)));
        }
      }
      return results;
    }
  }

  /**
   * append_chunks' per-chunk arguments, chunk after chunk of one or more appends: sizes, record
   * counts, smallest and largest timestamps, then the producer arrays (null when no chunk has a
   * producer).
   */
  private static final class ChunkColumns {
    private final List<Integer> sizes = new ArrayList<>();
    private final List<Integer> counts = new ArrayList<>();
    private final List<Long> minTs = new ArrayList<>();
    private final List<Long> maxTs = new ArrayList<>();
    private final List<ProducerBatch> producers = new ArrayList<>();

    /** Adds the append's chunks; answers their batches back to back. */
    byte[] add(ChunkAppend append) {
      List<EncodedChunk> chunks = append.chunks();
      int total = 0;
      for (int i = 0; i < chunks.size(); i++) {
        EncodedChunk chunk = chunks.get(i);
        sizes.add(chunk.sizeBytes());
        counts.add(chunk.recordCount());
        minTs.add(chunk.minTimestampMs());
        maxTs.add(chunk.maxTimestampMs());
        producers.add(append.producers() == null ? null : append.producers().get(i));
        total += chunk.sizeBytes();
      }
      return chunks.size() == 1 ? chunks.getFirst().batch() : concat(chunks, total);
    }

    int size() {
      return sizes.size();
    }

    /** Sets the seven arrays at parameters {@code at} to {@code at + 6}. */
    void set(Connection c, PreparedStatement ps, int at) throws SQLException {
      ps.setArray(at, c.createArrayOf("int4", sizes.toArray()));
      ps.setArray(at + 1, c.createArrayOf("int4", counts.toArray()));
      ps.setArray(at + 2, c.createArrayOf("int8", minTs.toArray()));
      ps.setArray(at + 3, c.createArrayOf("int8", maxTs.toArray()));
      if (producers.stream().allMatch(Objects::isNull)) {
        ps.setNull(at + 4, Types.ARRAY);
        ps.setNull(at + 5, Types.ARRAY);
        ps.setNull(at + 6, Types.ARRAY);
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
      ps.setArray(at + 4, c.createArrayOf("int8", ids));
      ps.setArray(at + 5, c.createArrayOf("int4", epochs));
      ps.setArray(at + 6, c.createArrayOf("int4", sequences));
    }
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

  /**
   * The partition's range and the whole chunks from {@code from} within about {@code maxBytes} (at
   * least one when there is any), at most {@code maxChunks}, over one snapshot; no batches when
   * {@code from} lies outside the range or at its end. Empty when the partition does not exist. A
   * read that finds a storage table dropped under it starts again ({@link StorageTable}).
   */
  public Optional<ChunkRead> read(PartitionKey key, long from, long maxBytes, int maxChunks) {
    try {
      return StorageTable.readRetryingDrops(() -> readOnce(key, from, maxBytes, maxChunks));
    } catch (SQLException e) {
      throw SqlErrors.translate(e);
    }
  }

  private Optional<ChunkRead> readOnce(PartitionKey key, long from, long maxBytes, int maxChunks)
      throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(READ)) {
      ps.setLong(1, key.topicId());
      ps.setInt(2, key.partition());
      ps.setLong(3, from);
      ps.setLong(4, maxBytes);
      ps.setInt(5, maxChunks);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        long start = rs.getLong(1);
        long end = rs.getLong(2);
        List<byte[]> batches = new ArrayList<>();
        do {
          byte[] batch = rs.getBytes(3);
          if (batch == null) {
            break; // from is outside [start, end), or at the end: the range alone
          }
          batches.add(batch);
        } while (rs.next());
        return Optional.of(new ChunkRead(start, end, batches));
      }
    }
  }

  /** A partition to read from {@code from}, within about {@code maxBytes}: see {@link #read}. */
  public record ReadRequest(PartitionKey key, long from, long maxBytes) {}

  /**
   * {@link #read} of each partition, in one statement and over one snapshot: the reads in the
   * order asked, each empty when its partition does not exist.
   */
  public List<Optional<ChunkRead>> readAll(List<ReadRequest> requests, int maxChunks) {
    try {
      return StorageTable.readRetryingDrops(() -> readAllOnce(requests, maxChunks));
    } catch (SQLException e) {
      throw SqlErrors.translate(e);
    }
  }

  private List<Optional<ChunkRead>> readAllOnce(List<ReadRequest> requests, int maxChunks)
      throws SQLException {
    ChunkRead[] reads = new ChunkRead[requests.size()];
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(READ_ALL)) {
      ps.setArray(
          1,
          c.createArrayOf(
              "bigint", requests.stream().map(r -> r.key().topicId()).toArray()));
      ps.setArray(
          2,
          c.createArrayOf(
              "integer", requests.stream().map(r -> r.key().partition()).toArray()));
      ps.setArray(
          3, c.createArrayOf("bigint", requests.stream().map(ReadRequest::from).toArray()));
      ps.setArray(
          4,
          c.createArrayOf("bigint", requests.stream().map(ReadRequest::maxBytes).toArray()));
      ps.setInt(5, maxChunks);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int i = rs.getInt(1) - 1;
          if (reads[i] == null) {
            reads[i] = new ChunkRead(rs.getLong(2), rs.getLong(3), new ArrayList<>());
          }
          byte[] batch = rs.getBytes(4);
          if (batch != null) {
            reads[i].batches().add(batch);
          }
        }
      }
    }
    return Arrays.stream(reads).map(Optional::ofNullable).toList();
  }

  /**
   * The committed ranges of these partitions, read in one statement; a partition that does not
   * exist is left out.
   */
  public Map<PartitionKey, LogRange> ranges(Collection<PartitionKey> keys) {
    Long[] topics = keys.stream().map(PartitionKey::topicId).toArray(Long[]::new);
    Integer[] partitions = keys.stream().map(PartitionKey::partition).toArray(Integer[]::new);
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(RANGES)) {
      ps.setArray(1, c.createArrayOf("bigint", topics));
      ps.setArray(2, c.createArrayOf("integer", partitions));
      Map<PartitionKey, LogRange> ranges = new HashMap<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ranges.put(
              new PartitionKey(rs.getLong(1), rs.getInt(2)),
              new LogRange(rs.getLong(3), rs.getLong(4)));
        }
      }
      return ranges;
    } catch (SQLException e) {
      throw SqlErrors.translate(e);
    }
  }

  /**
   * Kafka's time index, from the segment and chunk rows: the base offset of the first chunk, in
   * offset order and at or after {@code fromOffset}, that holds a record with a timestamp at or after
   * {@code timestampMs}; empty when no chunk does. Segments narrow the search to those whose largest
   * timestamp reaches the time; each is searched in its own table ({@link StorageTable}); a search
   * that finds a table dropped under it starts again.
   */
  public OptionalLong firstChunkReaching(PartitionKey key, long fromOffset, long timestampMs) {
    return StorageTable.readRetryingDrops(() -> searchTimeIndex(key, fromOffset, timestampMs));
  }

  private OptionalLong searchTimeIndex(PartitionKey key, long fromOffset, long timestampMs) {
    var storages = dsl.select(SEGMENT.STORAGE_ID)
        .from(SEGMENT)
        .where(
            SEGMENT.TOPIC_ID.eq(key.topicId()),
            SEGMENT.PARTITION_ID.eq(key.partition()),
            SEGMENT.NEXT_OFFSET.gt(fromOffset),
            SEGMENT.MAX_TIMESTAMP_MS.ge(timestampMs))
        .orderBy(SEGMENT.BASE_OFFSET)
        .fetch(SEGMENT.STORAGE_ID);
    for (long storage : storages) {
      var found = dsl.resultQuery(
              "select base_offset from {0} where storage_id = {3} and last_offset >= {1} "
                  + "and max_timestamp_ms >= {2} order by base_offset limit 1",
              DSL.table(StorageTable.of(storage)),
              DSL.val(fromOffset),
              DSL.val(timestampMs),
              DSL.val(storage))
          .fetchOptional(0, Long.class);
      if (found.isPresent()) {
        return OptionalLong.of(found.get());
      }
    }
    return OptionalLong.empty();
  }

  /** A chunk's base offset and the largest record timestamp it holds. */
  public record ChunkTime(long baseOffset, long maxTimestampMs) {}

  /**
   * The chunk holding the partition's largest record timestamp among the chunks that reach {@code
   * fromOffset} (the first in offset order among equals), from the chunk rows; empty when there is
   * none. Segments are searched from the largest timestamp down, each in its own table, until no
   * other segment can hold a larger one; a search that finds a table dropped under it starts again.
   */
  public Optional<ChunkTime> chunkWithMaxTimestamp(PartitionKey key, long fromOffset) {
    return StorageTable.readRetryingDrops(() -> searchMaxTimestamp(key, fromOffset));
  }

  private Optional<ChunkTime> searchMaxTimestamp(PartitionKey key, long fromOffset) {
    var segments = dsl.select(SEGMENT.STORAGE_ID, SEGMENT.MAX_TIMESTAMP_MS)
        .from(SEGMENT)
        .where(
            SEGMENT.TOPIC_ID.eq(key.topicId()),
            SEGMENT.PARTITION_ID.eq(key.partition()),
            SEGMENT.NEXT_OFFSET.gt(fromOffset),
            SEGMENT.MAX_TIMESTAMP_MS.isNotNull())
        .orderBy(SEGMENT.MAX_TIMESTAMP_MS.desc(), SEGMENT.BASE_OFFSET)
        .fetch();
    ChunkTime best = null;
    for (var segment : segments) {
      if (best != null && segment.value2() < best.maxTimestampMs()) {
        break; // no chunk of this segment or the next ones holds a larger timestamp
      }
      long storage = segment.value1();
      var found = dsl.resultQuery(
              "select base_offset, max_timestamp_ms from {0} where storage_id = {2} "
                  + "and last_offset >= {1} order by max_timestamp_ms desc, base_offset limit 1",
              DSL.table(StorageTable.of(storage)), DSL.val(fromOffset), DSL.val(storage))
          .fetchOptional(r -> new ChunkTime(r.get(0, Long.class), r.get(1, Long.class)));
      if (found.isPresent()
          && (best == null
              || found.get().maxTimestampMs() > best.maxTimestampMs()
              || (found.get().maxTimestampMs() == best.maxTimestampMs()
                  && found.get().baseOffset() < best.baseOffset()))) {
        best = found.get();
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * A chunk's offsets and the leader epoch stored in its batch (Kafka's partitionLeaderEpoch,
   * bytes 12..15, which append_chunks writes; -1 in batches stored before it did).
   */
  public record ChunkEpoch(long baseOffset, long lastOffset, int leaderEpoch) {}

  /**
   * The last chunk of the partition whose base offset is at or before {@code offset}; empty when
   * none is. Reads 4 bytes of the batch: the storage keeps batches uncompressed out of line, so
   * PostgreSQL fetches only the slice asked for.
   */
  public Optional<ChunkEpoch> chunkAtOrBefore(PartitionKey key, long offset) {
    return StorageTable.readRetryingDrops(() -> searchAtOrBefore(key, offset));
  }

  /**
   * Walks the segments down from the one holding {@code offset}, a segment per query (most searches
   * stop at the first: only a segment left empty sends it to the one before), rather than listing
   * every segment below the offset at each step of a binary search.
   */
  private Optional<ChunkEpoch> searchAtOrBefore(PartitionKey key, long offset) {
    long below = offset;
    while (true) {
      var segment = dsl.select(SEGMENT.STORAGE_ID, SEGMENT.BASE_OFFSET)
          .from(SEGMENT)
          .where(
              SEGMENT.TOPIC_ID.eq(key.topicId()),
              SEGMENT.PARTITION_ID.eq(key.partition()),
              SEGMENT.BASE_OFFSET.le(below))
          .orderBy(SEGMENT.BASE_OFFSET.desc())
          .limit(1)
          .fetchOptional();
      if (segment.isEmpty()) {
        return Optional.empty();
      }
      long storage = segment.get().value1();
      var found = dsl.resultQuery(
              "select base_offset, last_offset, substring(batch from 13 for 4) from {0} "
                  + "where storage_id = {2} and base_offset <= {1} order by base_offset desc limit 1",
              DSL.table(StorageTable.of(storage)), DSL.val(offset), DSL.val(storage))
          .fetchOptional(r -> new ChunkEpoch(
              r.get(0, Long.class), r.get(1, Long.class), epochOf(r.get(2, byte[].class))));
      if (found.isPresent()) {
        return found;
      }
      below = segment.get().value2() - 1;
    }
  }

  private static int epochOf(byte[] bytes) {
    return bytes == null || bytes.length < 4
        ? -1
        : ((bytes[0] & 0xff) << 24)
            | ((bytes[1] & 0xff) << 16)
            | ((bytes[2] & 0xff) << 8)
            | (bytes[3] & 0xff);
  }
}
