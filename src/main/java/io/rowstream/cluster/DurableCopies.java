package io.rowstream.cluster;

import io.rowstream.db.Tx;
import java.util.function.IntSupplier;

/**
 * How many machines hold a record when its append commits: the primary, plus the synchronous
 * standbys a commit waits for (PostgreSQL's {@code synchronous_commit} on, remote_write or
 * remote_apply, with standbys named in {@code synchronous_standby_names} and connected). This is
 * what Kafka's "in-sync replicas" means here, and what {@code min.insync.replicas} is checked
 * against for {@code acks=all}. Standbys in a quorum ({@code ANY n}) count as one copy: the commit
 * waits for at least one of them. Read from {@code pg_stat_replication}, which shows
 * {@code sync_state} only to superusers and members of {@code pg_monitor} ({@link StandbyStore}
 * reads it).
 */
public final class DurableCopies implements IntSupplier {
  private volatile int copies = 1;

  /** The last figure read: 1 (the primary alone) until the first read. */
  @Override
  public int getAsInt() {
    return copies;
  }

  /** Reads the figure again, in the given transaction (the cluster session's). */
  void refresh(Tx tx) {
    copies = 1 + StandbyStore.synchronousStandbys(tx);
  }
}
