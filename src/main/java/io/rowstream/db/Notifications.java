package io.rowstream.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * PostgreSQL's LISTEN/NOTIFY for a node: sending payloads on a channel with {@code pg_notify} on a
 * pooled connection, each statement committing on its own (a NOTIFY inside a transaction would take
 * a cluster-wide lock at its commit), and listening to a channel on a dedicated connection
 * ({@link NotificationListener}). A notification is a hint: PostgreSQL limits its payload to less
 * than 8000 bytes, and a listener misses what is sent while its connection is down.
 */
public final class Notifications {
  /** Channels are plain identifiers: LISTEN takes its channel as one, not as a parameter. */
  private static final Pattern CHANNEL = Pattern.compile("[a-z_][a-z0-9_]*");

  private final Database database;

  public Notifications(Database database) {
    this.database = database;
  }

  /**
   * Sends each payload on {@code channel}, in order, on one pooled connection. A database failure
   * surfaces translated ({@link SqlErrors}); the payloads after it are not sent.
   */
  public void send(String channel, List<String> payloads) {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement("select pg_notify(?, ?)")) {
      for (String payload : payloads) {
        statement.setString(1, channel);
        statement.setString(2, payload);
        statement.execute();
      }
    } catch (SQLException e) {
      throw SqlErrors.translate(e);
    }
  }

  /**
   * Starts listening to {@code channel} on a dedicated connection of its own, in a thread named
   * {@code threadName}, until the listener is closed; {@code handler} hears of every notification and
   * of every loss and recovery of the connection.
   */
  public NotificationListener listen(
      String channel, String threadName, NotificationListener.Handler handler) {
    if (!CHANNEL.matcher(channel).matches()) {
      throw new IllegalArgumentException("not a plain channel name: " + channel);
    }
    return new NotificationListener(database, channel, threadName, handler);
  }
}
