package io.rowstream.bench;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.HdrHistogram.Histogram;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The raw PostgreSQL baseline: the same payload bytes, written straight into a plain table with
 * binary COPY (the fastest client path), one COPY (one transaction) per batch of
 * {@code recordsPerRequest} rows, over as many connections as the produce run had clients; then
 * read back with a binary COPY out.
 */
final class PostgresCopyBaseline {
  static final String TABLE = "bench_raw_baseline";

  private final BenchDatabase db;

  PostgresCopyBaseline(BenchDatabase db) {
    this.db = db;
  }

  Throughput write(BenchOptions o) throws Exception {
    db.execute("drop table if exists " + TABLE,
        "create table " + TABLE + " (batch bigint not null, seq integer not null, payload bytea not null)");
    long warmupEnd = System.nanoTime() + o.warmup().toNanos();
    long end = warmupEnd + o.produceDuration().toNanos();
    List<Future<Long>> workers = new ArrayList<>();
    List<Histogram> histograms = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < o.clients(); w++) {
        int worker = w;
        Histogram histogram = Throughput.newHistogram();
        histograms.add(histogram);
        workers.add(pool.submit(() -> {
          try (Connection c = db.connect()) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            byte[] batch = binaryCopy(o, worker);
            long batches = 0;
            while (true) {
              long start = System.nanoTime();
              if (start >= end) {
                return batches;
              }
              copy.copyIn("copy " + TABLE + " from stdin (format binary)", new java.io.ByteArrayInputStream(batch));
              if (start >= warmupEnd) {
                histogram.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
                batches++;
              }
            }
          }
        }));
      }
      long batches = 0;
      for (Future<Long> f : workers) {
        batches += f.get();
      }
      Histogram all = Throughput.newHistogram();
      histograms.forEach(all::add);
      long records = batches * o.recordsPerRequest();
      return new Throughput("postgres binary COPY", records, records * o.recordBytes(),
          o.produceDuration().toNanos() / 1e9, all);
    }
  }

  /** Reads every row back with a binary COPY out. */
  Throughput read(int recordBytes) throws Exception {
    try (Connection c = db.connect()) {
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      long start = System.nanoTime();
      CountingSink sink = new CountingSink();
      copy.copyOut("copy (select payload from " + TABLE + ") to stdout (format binary)", sink);
      double seconds = (System.nanoTime() - start) / 1e9;
      long rows;
      try (Statement s = c.createStatement(); var rs = s.executeQuery("select count(*) from " + TABLE)) {
        rs.next();
        rows = rs.getLong(1);
      }
      return new Throughput("postgres binary COPY out", rows, rows * recordBytes, seconds, null);
    }
  }

  void drop() throws SQLException {
    db.execute("drop table if exists " + TABLE);
  }

  /** One batch in PostgreSQL's binary COPY format: header, rows of (bigint, int, bytea), trailer. */
  private static byte[] binaryCopy(BenchOptions o, int worker) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(o.recordsPerRequest() * (o.recordBytes() + 30) + 32);
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(new byte[] {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0});
    out.writeInt(0);
    out.writeInt(0);
    for (int i = 0; i < o.recordsPerRequest(); i++) {
      out.writeShort(3);
      out.writeInt(8);
      out.writeLong(worker);
      out.writeInt(4);
      out.writeInt(i);
      byte[] payload = Payloads.random(o.recordBytes(), (worker + 1) * 1_000_003L + i);
      out.writeInt(payload.length);
      out.write(payload);
    }
    out.writeShort(-1);
    return bytes.toByteArray();
  }

  /** Counts and discards what COPY TO STDOUT writes. */
  private static final class CountingSink extends java.io.OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }

}
