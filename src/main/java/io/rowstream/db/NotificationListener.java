package io.rowstream.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens to one channel on a dedicated connection (outside the pool: LISTEN belongs to a session)
 * and hands each notification's payload to a {@link Handler}, on a thread of its own. When the
 * connection drops it reconnects, backing off from 100 ms to 5 s, and tells the handler both that
 * notifications stopped and, once it listens again, that it does.
 */
public final class NotificationListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NotificationListener.class);
  private static final long FIRST_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 5000;
  /** How long one wait for notifications lasts before the listener checks whether it was closed. */
  private static final int POLL_MS = 1000;

  /** What a listener tells its owner; called on the listener's thread. */
  public interface Handler {
    /**
     * The listener listens (again): anything sent while it did not, before the first call and
     * between a {@link #lost} and this, was missed.
     */
    void listening();

    /** A notification on the channel, from any session, this node's included. */
    void received(String payload);

    /** The connection was lost; the listener reconnects after a backoff. */
    void lost();
  }

  private final Database database;
  private final String channel;
  private final Handler handler;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Connection connection;

  NotificationListener(Database database, String channel, String threadName, Handler handler) {
    this.database = database;
    this.channel = channel;
    this.handler = handler;
    this.thread = Thread.ofPlatform().daemon().name(threadName).start(this::run);
  }

  private void run() {
    long backoffMs = FIRST_BACKOFF_MS;
    while (running) {
      try (Connection c = database.openDedicatedConnection("listen")) {
        connection = c;
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + channel);
        }
        handler.listening();
        backoffMs = FIRST_BACKOFF_MS;
        PGConnection pg = c.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] notifications = pg.getNotifications(POLL_MS);
          if (notifications == null) {
            continue;
          }
          for (PGNotification n : notifications) {
            handler.received(n.getParameter());
          }
        }
      } catch (SQLException e) {
        if (!running) {
          return;
        }
        LOG.warn(
            "listen connection lost, reconnecting channel={} backoffMs={} error={}",
            channel,
            backoffMs,
            e.getMessage());
        handler.lost();
        try {
          Thread.sleep(backoffMs);
        } catch (InterruptedException ie) {
          return;
        }
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
      }
    }
  }

  /** Stops listening: closes the connection, which ends a wait for notifications at once. */
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
