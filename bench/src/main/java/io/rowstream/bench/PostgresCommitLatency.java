package io.rowstream.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The raw PostgreSQL baseline of the latency run: the same open-loop schedule ({@code
 * --latency-rate} records/s for the warm-up and {@code --latency-seconds}), each record a one-row
 * INSERT of the same number of bytes committed on its own (autocommit; fsync and
 * synchronous_commit as the server has them), over a pool of {@link #CONNECTIONS} connections;
 * timed from the scheduled send to the commit's return. It is the floor under Rowstream's
 * acknowledgement on the same database and disk in the same run: whatever stalls a commit here
 * stalls an append too.
 */
final class PostgresCommitLatency {
  static final String TABLE = "bench_commit_baseline";
  /** As many connections as a node's pool gives appends, about. */
  static final int CONNECTIONS = 8;

  private PostgresCommitLatency() {}

  static Throughput run(BenchDatabase db, BenchOptions o) throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("drop table if exists " + TABLE);
      s.execute("create table " + TABLE + " (id bigint not null, payload bytea not null)");
    }
    BlockingQueue<Connection> pool = new ArrayBlockingQueue<>(CONNECTIONS);
    try {
      for (int i = 0; i < CONNECTIONS; i++) {
        pool.add(db.connect());
      }
      return schedule(pool, o);
    } finally {
      for (Connection c : pool) {
        c.close();
      }
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        s.execute("drop table if exists " + TABLE);
      }
    }
  }

  private static Throughput schedule(BlockingQueue<Connection> pool, BenchOptions o) throws Exception {
    OpenLoop schedule = OpenLoop.latency(o);
    byte[] payload = Payloads.random(o.recordBytes(), 98);
    Histogram commits = new ConcurrentHistogram(Throughput.MAX_MICROS, 3);
    AtomicLong failed = new AtomicLong();
    try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
      schedule.run(senders, id -> {
        long sent = System.nanoTime();
        Connection c = pool.take();
        try (PreparedStatement ps = c.prepareStatement("insert into " + TABLE + " (id, payload) values (?, ?)")) {
          ps.setLong(1, id);
          ps.setBytes(2, payload);
          ps.executeUpdate();
          if (schedule.counted(id)) {
            commits.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
          }
        } catch (SQLException e) {
          failed.incrementAndGet();
        } finally {
          pool.put(c);
        }
      });
    }
    String name = "postgres insert + commit @ " + o.latencyRate() + " rec/s (same schedule)"
        + (failed.get() > 0 ? " (" + failed.get() + " inserts failed)" : "");
    return new Throughput(name, commits.getTotalCount(), commits.getTotalCount() * o.recordBytes(),
        o.latencyDuration().toSeconds(), commits);
  }
}
