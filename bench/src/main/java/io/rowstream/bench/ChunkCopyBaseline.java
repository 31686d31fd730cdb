package io.rowstream.bench;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * The raw PostgreSQL floor under Kafka-protocol produce: the records the producer processes send,
 * in the batches a producer builds of them, written with binary COPY into a plain table shaped like
 * a chunk row (partition, base offset, record count, size, the batch as {@code bytea} with
 * {@code STORAGE EXTERNAL}, primary key (partition, base offset)), one COPY of one batch per
 * transaction (autocommit, so each waits for its commit as the database's settings say), over one
 * connection per producer process.
 *
 * <p>Each batch is a real Kafka v2 record batch, built by kafka-clients' {@link MemoryRecordsBuilder}
 * as the producer builds one: keyless records of incompressible values, no compression, as many as
 * fit in {@code batch.size} (1014 records of 1 KiB in 1 MiB). Each connection first writes its
 * warm-up records, untimed; then all start together and the time runs until the last has written
 * its measured records. Offsets are placed per partition, the partitions taken round-robin.
 */
final class ChunkCopyBaseline {
  static final String TABLE = "bench_chunk_baseline";
  private static final String COPY = "copy " + TABLE
      + " (partition_id, base_offset, record_count, size_bytes, batch) from stdin (format binary)";
  private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0,
      0, 0, 0};
  private static final byte[] TRAILER = {(byte) 0xFF, (byte) 0xFF};
  private static final Header[] NO_HEADERS = new Header[0];

  private final BenchDatabase db;

  ChunkCopyBaseline(BenchDatabase db) {
    this.db = db;
  }

  /** Creates the table (dropping one a previous run left), writes, and returns the measured part. */
  Throughput write(KafkaProtocolOptions o) throws Exception {
    db.execute("drop table if exists " + TABLE, "create table " + TABLE + " (partition_id integer not null,"
        + " base_offset bigint not null, record_count integer not null, size_bytes integer not null,"
        + " batch bytea not null, primary key (partition_id, base_offset))",
        "alter table " + TABLE + " alter column batch set storage external");
    AtomicLongArray nextOffsets = new AtomicLongArray(o.partitions());
    CountDownLatch warmedUp = new CountDownLatch(o.producers());
    List<Future<Long>> writers = new ArrayList<>();
    List<Histogram> histograms = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < o.producers(); w++) {
        Writer writer = new Writer(o, w, nextOffsets, warmedUp);
        histograms.add(writer.latency);
        writers.add(pool.submit(writer::run));
      }
      warmedUp.await();
      long start = System.nanoTime();
      long records = 0;
      for (Future<Long> f : writers) {
        records += f.get();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Histogram all = Throughput.newHistogram();
      histograms.forEach(all::add);
      return new Throughput("postgres binary COPY", records, records * o.recordBytes(), seconds, all);
    }
  }

  void drop() throws SQLException {
    db.execute("drop table if exists " + TABLE);
  }

  /**
   * A v2 batch of up to {@code limit} records of {@code recordBytes} incompressible bytes, as many as
   * fit in {@code batchBytes} (the producer's {@code batch.size}; the first record always fits).
   */
  static MemoryRecords batch(int limit, int recordBytes, int batchBytes, long seed) {
    MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(Math.max(batchBytes, recordBytes + 128)),
        Compression.NONE, TimestampType.CREATE_TIME, 0L);
    long now = System.currentTimeMillis();
    for (int i = 0; i < limit; i++) {
      byte[] value = Payloads.random(recordBytes, seed * 1_000_003L + i);
      if (i > 0 && !builder.hasRoomFor(now, null, value, NO_HEADERS)) {
        break;
      }
      builder.append(now, null, value, NO_HEADERS);
    }
    return builder.build();
  }

  /** One connection's COPYs: its warm-up records, then, once every connection is warm, its measured ones. */
  private final class Writer {
    final Histogram latency = Throughput.newHistogram();
    private final KafkaProtocolOptions o;
    private final int worker;
    private final AtomicLongArray nextOffsets;
    private final CountDownLatch warmedUp;
    private final MemoryRecords full;
    private int partition;

    Writer(KafkaProtocolOptions o, int worker, AtomicLongArray nextOffsets, CountDownLatch warmedUp) {
      this.o = o;
      this.worker = worker;
      this.nextOffsets = nextOffsets;
      this.warmedUp = warmedUp;
      this.full = batch(o.recordsPerProducer(), o.recordBytes(), o.batchBytes(), worker + 1);
      this.partition = worker % o.partitions();
    }

    /** Returns the records written after the warm-up. */
    long run() throws Exception {
      try (Connection c = db.connect()) {
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        try {
          write(copy, o.warmupRecords(), null);
        } finally {
          warmedUp.countDown();
        }
        warmedUp.await();
        return write(copy, o.measuredRecords(), latency);
      }
    }

    /** Writes {@code records} records in full batches and a last partial one; times each COPY when asked. */
    private long write(CopyManager copy, int records, Histogram timed) throws Exception {
      int perBatch = countOf(full);
      MemoryRecords last = records % perBatch == 0 ? full : batch(records % perBatch, o.recordBytes(), o.batchBytes(),
          -(worker + 1));
      for (int written = 0; written < records; ) {
        MemoryRecords batch = records - written >= perBatch ? full : last;
        int count = countOf(batch);
        long start = System.nanoTime();
        copyOne(copy, batch, count);
        if (timed != null) {
          timed.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
        }
        written += count;
      }
      return records;
    }

    private void copyOne(CopyManager copy, MemoryRecords batch, int count) throws SQLException, IOException {
      int p = partition;
      partition = (partition + 1) % o.partitions();
      long baseOffset = nextOffsets.getAndAdd(p, count);
      ByteBuffer bytes = batch.buffer().duplicate();
      int size = bytes.remaining();
      ByteArrayOutputStream prefix = new ByteArrayOutputStream(64);
      DataOutputStream row = new DataOutputStream(prefix);
      row.write(HEADER);
      row.writeShort(5);
      row.writeInt(4);
      row.writeInt(p);
      row.writeInt(8);
      row.writeLong(baseOffset);
      row.writeInt(4);
      row.writeInt(count);
      row.writeInt(4);
      row.writeInt(size);
      row.writeInt(size);
      CopyIn in = copy.copyIn(COPY);
      try {
        in.writeToCopy(prefix.toByteArray(), 0, prefix.size());
        in.writeToCopy(bytes.array(), bytes.arrayOffset() + bytes.position(), size);
        in.writeToCopy(TRAILER, 0, TRAILER.length);
        in.endCopy();
      } finally {
        if (in.isActive()) {
          in.cancelCopy();
        }
      }
    }
  }

  private static int countOf(MemoryRecords batch) {
    return batch.firstBatch().countOrNull();
  }
}
