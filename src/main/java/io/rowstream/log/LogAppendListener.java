package io.rowstream.log;

import io.rowstream.db.NotificationListener;
import io.rowstream.db.Notifications;
import io.rowstream.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears other nodes' append notifications and wakes this node's waiting fetchers. While the
 * listening connection is down, and when it comes back, it wakes every waiter, since notifications
 * may have been missed meanwhile.
 */
public final class LogAppendListener implements AutoCloseable, NotificationListener.Handler {
  private static final Logger LOG = LoggerFactory.getLogger(LogAppendListener.class);

  private final LogSignals signals;
  private final int nodeId;
  private final NotificationListener listener;

  public LogAppendListener(Notifications notifications, LogSignals signals, int nodeId) {
    this.signals = signals;
    this.nodeId = nodeId;
    this.listener = notifications.listen(LogAppendNotifier.CHANNEL, "log-listener", this);
  }

  @Override
  public void listening() {
    signals.signalAll();
  }

  @Override
  public void lost() {
    signals.signalAll();
  }

  @Override
  public void received(String payload) {
    try {
      if (LogNotification.sender(payload) == nodeId) {
        return; // this node's own appends already woke its fetchers
      }
      signals.signal(LogNotification.keys(payload));
    } catch (RuntimeException e) {
      LOG.warn("ignoring malformed notification payload={}", LogText.of(payload));
    }
  }

  @Override
  public void close() {
    listener.close();
  }
}
