package io.rowstream.bench;

import io.rowstream.log.EncodedChunk;
import io.rowstream.log.LogRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alternative layout, for comparison: one plain, unpartitioned table shaped like the chunk
 * table before partitioning (a row per batch, the batch {@code bytea} with {@code STORAGE EXTERNAL},
 * the primary key on (topic, partition, base offset)), written with JDBC, one row and one
 * autocommit {@code INSERT} per request, each a real Kafka v2 batch of the request's records as the
 * broker stores it. Offsets and segments ({@code segment.bytes}) are placed by this class, which
 * keeps the segment list in memory as the broker keeps it in {@code rowstream.segment}. Retention
 * is a {@code DELETE} of the oldest whole segments, by Kafka's rule (while the partition's size
 * minus its oldest segment is still at least {@code retention.bytes}, never the active segment),
 * every {@code --maintenance-ms}. Autovacuum keeps its defaults. The table is dropped at the end.
 */
final class DeleteRetentionBaseline implements SoakLayout {
  static final String TABLE = "retention_baseline_chunk";
  private static final Logger LOG = LoggerFactory.getLogger(DeleteRetentionBaseline.class);
  private static final long TOPIC_ID = 1;
  private static final String INSERT = "insert into " + TABLE + " (topic_id, partition_id, base_offset, last_offset,"
      + " segment_base_offset, record_count, min_timestamp_ms, max_timestamp_ms, size_bytes, batch)"
      + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String DELETE = "delete from " + TABLE
      + " where topic_id = ? and partition_id = ? and base_offset < ?";

  private final BenchDatabase db;
  private final RetentionSoakOptions o;
  private final List<Partition> partitions = new ArrayList<>();
  private final ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().name("delete-retention").daemon().factory());
  private final AtomicLong passes = new AtomicLong();
  private final AtomicLong deletedRows = new AtomicLong();
  private final AtomicLong longestPassMicros = new AtomicLong();
  private final AtomicLong failedPasses = new AtomicLong();

  private DeleteRetentionBaseline(BenchDatabase db, RetentionSoakOptions o) {
    this.db = db;
    this.o = o;
    for (int p = 0; p < o.partitions(); p++) {
      partitions.add(new Partition());
    }
  }

  /** Creates the table (dropping one a previous run left) and starts the retention passes. */
  static DeleteRetentionBaseline create(BenchDatabase db, RetentionSoakOptions o) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("drop table if exists " + TABLE);
      s.execute("""
          create table %s (
              topic_id            bigint      not null,
              partition_id        integer     not null,
              base_offset         bigint      not null,
              last_offset         bigint      not null,
              segment_base_offset bigint      not null,
              record_count        integer     not null,
              min_timestamp_ms    bigint      not null,
              max_timestamp_ms    bigint      not null,
              size_bytes          integer     not null,
              batch               bytea       not null,
              appended_at         timestamptz not null default now(),
              primary key (topic_id, partition_id, base_offset))""".formatted(TABLE));
      s.execute("alter table " + TABLE + " alter column batch set storage external");
    }
    DeleteRetentionBaseline baseline = new DeleteRetentionBaseline(db, o);
    long interval = o.maintenanceMs().orElseThrow();
    baseline.maintenance.scheduleWithFixedDelay(baseline::retentionPass, interval, interval, TimeUnit.MILLISECONDS);
    return baseline;
  }

  @Override
  public String description() {
    return "JDBC INSERT of one batch row per request into " + TABLE + " (plain table, batch STORAGE EXTERNAL,"
        + " primary key (topic_id, partition_id, base_offset)); retention by DELETE of whole segments every "
        + o.maintenanceMs().orElseThrow() + " ms; autovacuum at the database's settings";
  }

  @Override
  public String summary() {
    return String.format(Locale.ROOT, "%d DELETE passes (%d failed), %d rows deleted, longest pass %.1f ms",
        passes.get(), failedPasses.get(), deletedRows.get(), longestPassMicros.get() / 1000.0);
  }

  @Override
  public String chunkRelation() {
    return TABLE;
  }

  /** The client's requests go round-robin over the partitions, as keyless produce requests do. */
  @Override
  public Writer writer(int client) throws SQLException {
    long now = System.currentTimeMillis();
    List<LogRecord> records = new ArrayList<>();
    for (byte[] value : Payloads.values(o.recordsPerRequest(), o.recordBytes(), client + 1)) {
      records.add(new LogRecord(null, value, List.of(), now));
    }
    EncodedChunk chunk = EncodedChunk.encode(records, false, now);
    Connection c = db.connect();
    PreparedStatement insert = c.prepareStatement(INSERT);
    int[] turn = {client};
    return new Writer() {
      @Override
      public void write() throws SQLException {
        int partition = turn[0]++ % partitions.size();
        Placement at = partitions.get(partition).place(chunk.recordCount(), chunk.sizeBytes(), o.segmentBytes());
        insert.setLong(1, TOPIC_ID);
        insert.setInt(2, partition);
        insert.setLong(3, at.baseOffset());
        insert.setLong(4, at.baseOffset() + chunk.recordCount() - 1);
        insert.setLong(5, at.segmentBaseOffset());
        insert.setInt(6, chunk.recordCount());
        insert.setLong(7, chunk.minTimestampMs());
        insert.setLong(8, chunk.maxTimestampMs());
        insert.setInt(9, chunk.sizeBytes());
        insert.setBytes(10, chunk.batch());
        insert.executeUpdate();
      }

      @Override
      public void close() throws SQLException {
        try {
          insert.close();
        } finally {
          c.close();
        }
      }
    };
  }

  @Override
  public Retained retained(Connection c) {
    long segments = 0;
    long bytes = 0;
    int trimmed = 0;
    for (Partition p : partitions) {
      synchronized (p) {
        segments += p.segments.size();
        bytes += p.segments.values().stream().mapToLong(Long::longValue).sum();
        trimmed += p.logStart > 0 ? 1 : 0;
      }
    }
    return new Retained(segments, bytes, trimmed);
  }

  /** One pass over the partitions; a failed pass is logged and counted, and the next one runs as planned. */
  private void retentionPass() {
    long start = System.nanoTime();
    try (Connection c = db.connect(); PreparedStatement delete = c.prepareStatement(DELETE)) {
      for (int p = 0; p < partitions.size(); p++) {
        Partition partition = partitions.get(p);
        long cutoff = partition.retentionCutoff(o.retentionBytes());
        if (cutoff > partition.logStart()) {
          delete.setLong(1, TOPIC_ID);
          delete.setInt(2, p);
          delete.setLong(3, cutoff);
          deletedRows.addAndGet(delete.executeUpdate());
          partition.trim(cutoff);
        }
      }
      passes.incrementAndGet();
    } catch (SQLException e) {
      failedPasses.incrementAndGet();
      LOG.warn("retention pass failed error={}", e.getMessage());
    }
    longestPassMicros.accumulateAndGet((System.nanoTime() - start) / 1000, Math::max);
  }

  @Override
  public void close() throws SQLException, InterruptedException {
    maintenance.shutdown();
    if (!maintenance.awaitTermination(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("a retention pass did not end within 60 s");
    }
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("drop table if exists " + TABLE);
    }
  }

  private record Placement(long baseOffset, long segmentBaseOffset) {}

  /** A partition's log end, log start and segments (base offset → bytes), in memory. */
  private static final class Partition {
    private final TreeMap<Long, Long> segments = new TreeMap<>();
    private long next;
    private long logStart;

    /** The next offsets for a batch; rolls a non-empty active segment the batch would take past segmentBytes. */
    synchronized Placement place(int records, int size, long segmentBytes) {
      Map.Entry<Long, Long> active = segments.lastEntry();
      if (active == null || active.getValue() > 0 && active.getValue() + size > segmentBytes) {
        segments.put(next, 0L);
        active = segments.lastEntry();
      }
      segments.merge(active.getKey(), (long) size, Long::sum);
      Placement placed = new Placement(next, active.getKey());
      next += records;
      return placed;
    }

    /** The first offset to keep: past each oldest segment whose removal leaves at least {@code retentionBytes}. */
    synchronized long retentionCutoff(long retentionBytes) {
      long size = segments.values().stream().mapToLong(Long::longValue).sum();
      long cutoff = logStart;
      List<Map.Entry<Long, Long>> oldestFirst = new ArrayList<>(segments.entrySet());
      for (int i = 0; i < oldestFirst.size() - 1 && size - oldestFirst.get(i).getValue() >= retentionBytes; i++) {
        size -= oldestFirst.get(i).getValue();
        cutoff = oldestFirst.get(i + 1).getKey();
      }
      return cutoff;
    }

    synchronized long logStart() {
      return logStart;
    }

    synchronized void trim(long cutoff) {
      segments.headMap(cutoff).clear();
      logStart = cutoff;
    }
  }
}
