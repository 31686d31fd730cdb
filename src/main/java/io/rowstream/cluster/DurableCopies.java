package io.rowstream.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.IntSupplier;

/**
 * How many machines hold a record when its append commits: the primary, plus the synchronous
 * standbys a commit waits for (PostgreSQL's {@code synchronous_commit} on, remote_write or
 * remote_apply, with standbys named in {@code synchronous_standby_names} and connected). This is
 * what Kafka's "in-sync replicas" means here, and what {@code min.insync.replicas} is checked
 * against for {@code acks=all}. Standbys in a quorum ({@code ANY n}) count as one copy: the commit
 * waits for at least one of them. Read from {@code pg_stat_replication}, which shows
 * {@code sync_state} only to superusers and members of {@code pg_monitor}.
 */
public final class DurableCopies implements IntSupplier {
  private static final String QUERY = """
      select case when current_setting('synchronous_commit') in ('on', 'remote_write', 'remote_apply')
                  then (select count(*) filter (where sync_state = 'sync')
                             + least(count(*) filter (where sync_state = 'quorum'), 1)
                          from pg_stat_replication)
                  else 0 end""";

  private volatile int copies = 1;

  /** The last figure read: 1 (the primary alone) until the first read. */
  @Override
  public int getAsInt() {
    return copies;
  }

  /** Reads the figure again, on the given connection. */
  void refresh(Connection session) throws SQLException {
    try (PreparedStatement ps = session.prepareStatement(QUERY);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      copies = 1 + rs.getInt(1);
    }
  }
}
