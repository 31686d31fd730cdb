package io.rowstream.log;

import io.rowstream.db.Notifications;
import io.rowstream.error.BrokerException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

  private final Notifications notifications;
  private final int nodeId;
  private final Duration interval;
  private final Set<PartitionKey> dirty = new HashSet<>();
  private final Thread sender;
  private volatile boolean running = true;

  public LogAppendNotifier(Notifications notifications, int nodeId, Duration interval) {
    this.notifications = notifications;
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
    try {
      notifications.send(CHANNEL, LogNotification.encode(nodeId, keys, MAX_PAYLOAD));
    } catch (BrokerException e) {
      // A hint only: fetchers on other nodes fall back to polling.
      LOG.warn(
          "could not notify other nodes partitions={} error={}",
          keys.size(),
          e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
    }
  }

  @Override
  public void close() {
    running = false;
    sender.interrupt();
  }
}
