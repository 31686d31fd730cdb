package io.rowstream.log;

import io.rowstream.db.Database;
import io.rowstream.logging.LogText;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on a dedicated connection for other nodes' append notifications and wakes this node's
 * waiting fetchers. When the connection drops it reconnects and wakes every waiter, since
 * notifications may have been missed meanwhile.
 */
public final class LogAppendListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogAppendListener.class);

  private final Database database;
  private final LogSignals signals;
  private final int nodeId;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Connection connection;

  public LogAppendListener(Database database, LogSignals signals, int nodeId) {
    this.database = database;
    this.signals = signals;
    this.nodeId = nodeId;
    this.thread = Thread.ofPlatform().daemon().name("log-listener").start(this::run);
  }

  private void run() {
    long backoffMs = 100;
    while (running) {
      try (Connection c = database.openDedicatedConnection("listen")) {
        connection = c;
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + LogAppendNotifier.CHANNEL);
        }
        signals.signalAll();
        backoffMs = 100;
        PGConnection pg = c.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] notifications = pg.getNotifications(1000);
          if (notifications == null) {
            continue;
          }
          for (PGNotification n : notifications) {
            dispatch(n.getParameter());
          }
        }
      } catch (SQLException e) {
        if (!running) {
          return;
        }
        LOG.warn(
            "listen connection lost, reconnecting backoffMs={} error={}",
            backoffMs,
            e.getMessage());
        signals.signalAll();
        try {
          Thread.sleep(backoffMs);
        } catch (InterruptedException ie) {
          return;
        }
        backoffMs = Math.min(5000, backoffMs * 2);
      }
    }
  }

  private void dispatch(String payload) {
    try {
      if (LogNotification.sender(payload) == nodeId) {
        return; // this node's own appends already woke its fetchers
      }
      LogNotification.keys(payload).forEach(signals::signal);
    } catch (RuntimeException e) {
      LOG.warn("ignoring malformed notification payload={}", LogText.of(payload));
    }
  }

  @Override
  public void close() {
    running = false;
    Connection c = connection;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        LOG.debug("listen connection close failed", e);
      }
    }
    thread.interrupt();
  }
}
