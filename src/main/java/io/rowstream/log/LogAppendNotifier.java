package io.rowstream.log;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells other nodes that partitions grew, with {@code NOTIFY} sent outside the append
 * transactions (a NOTIFY inside one takes a cluster-wide lock at commit) and coalesced: at most
 * one notification per partition per interval, many partitions per payload.
 */
public final class LogAppendNotifier implements AutoCloseable {
  public static final String CHANNEL = "rowstream_log";
  /** PostgreSQL refuses payloads of 8000 bytes or more. */
  static final int MAX_PAYLOAD = 7900;

  private static final Logger LOG = LoggerFactory.getLogger(LogAppendNotifier.class);

  private final DataSource dataSource;
  private final int nodeId;
  private final Duration interval;
  private final Set<PartitionKey> dirty = new HashSet<>();
  private final Thread sender;
  private volatile boolean running = true;

  public LogAppendNotifier(DataSource dataSource, int nodeId, Duration interval) {
    this.dataSource = dataSource;
    this.nodeId = nodeId;
    this.interval = interval;
    this.sender = Thread.ofPlatform().daemon().name("log-notifier").start(this::run);
  }

  /** Marks a partition as grown; the signal goes out within one interval. */
  public void appended(PartitionKey key) {
    synchronized (dirty) {
      dirty.add(key);
      dirty.notifyAll();
    }
  }

  private void run() {
    while (running) {
      List<PartitionKey> batch;
      try {
        synchronized (dirty) {
          while (dirty.isEmpty() && running) {
            dirty.wait();
          }
          batch = new ArrayList<>(dirty);
          dirty.clear();
        }
        if (!batch.isEmpty()) {
          send(batch);
        }
        Thread.sleep(interval);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void send(List<PartitionKey> keys) {
    List<String> payloads = LogNotification.encode(nodeId, keys, MAX_PAYLOAD);
    try (var connection = dataSource.getConnection();
        var statement = connection.prepareStatement("select pg_notify(?, ?)")) {
      for (String payload : payloads) {
        statement.setString(1, CHANNEL);
        statement.setString(2, payload);
        statement.execute();
      }
    } catch (java.sql.SQLException e) {
      // A hint only: fetchers on other nodes fall back to polling.
      LOG.warn("could not notify other nodes partitions={} error={}", keys.size(), e.getMessage());
    }
  }

  @Override
  public void close() {
    running = false;
    sender.interrupt();
  }
}
