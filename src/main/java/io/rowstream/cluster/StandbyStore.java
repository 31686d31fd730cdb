package io.rowstream.cluster;

import io.rowstream.db.Tx;

/**
 * The read of PostgreSQL's synchronous standbys for {@link DurableCopies}: how many a commit waits
 * for ({@code synchronous_commit} on, remote_write or remote_apply; standbys in a quorum count as
 * one), from {@code pg_stat_replication}, which shows {@code sync_state} only to superusers and
 * members of {@code pg_monitor}.
 */
final class StandbyStore {
  private static final String SYNCHRONOUS_STANDBYS = """
      select case when current_setting('synchronous_commit') in ('on', 'remote_write', 'remote_apply')
                  then (select count(*) filter (where sync_state = 'sync')
                             + least(count(*) filter (where sync_state = 'quorum'), 1)
                          from pg_stat_replication)
                  else 0 end""";

  private StandbyStore() {}

  /** The synchronous standbys a commit on this database waits for (0 when it waits for none). */
  static int synchronousStandbys(Tx tx) {
    return tx.dsl().resultQuery(SYNCHRONOUS_STANDBYS).fetchSingle().get(0, Integer.class);
  }
}
