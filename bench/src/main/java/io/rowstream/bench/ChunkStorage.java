package io.rowstream.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The chunk storage as PostgreSQL reports it, whatever its physical layout: every relation of
 * {@code pg_partition_tree(relation)} (the table alone when it is not partitioned; partitions in
 * any schema) and every table of schema {@code rowstream_chunks}, attached or detached, their sizes with TOAST and indexes ({@code pg_total_relation_size}), and the
 * statistics of those relations and of their TOAST tables ({@code pg_stat_all_tables}, found
 * through {@code pg_class.reltoastrelid}). The statistics lag: backends report them about once a
 * second and at transaction end.
 */
final class ChunkStorage {
  /**
   * One look: leaf relations, their total bytes, live rows (of the tables, not TOAST), dead tuples
   * (tables and TOAST), autovacuum runs since the first look (tables and TOAST, relations dropped
   * since included), and the dead tuples of every other table in {@code pg_stat_user_tables}.
   */
  record Snapshot(int relations, long bytes, long liveRows, long deadTuples, long autovacuums, long deadElsewhere) {}

  /**
   * Rowstream's segment tables: a table detached from {@code chunk} but not dropped yet still takes
   * space, so every table of this schema counts, attached or not.
   */
  private static final String DETACHED_SCHEMA = "rowstream_chunks";

  /**
   * The relation and every relation below it, and any table of {@link #DETACHED_SCHEMA}.
   * {@code pg_partition_tree} gives nothing for a table that is neither partitioned nor a
   * partition, so the relation itself is named too. Two parameters.
   */
  private static final String TREE = "with tree as (select c.oid, c.reltoastrelid, c.relkind <> 'p' as leaf"
      + " from pg_class c where c.oid = ?::regclass or c.oid in (select relid from pg_partition_tree(?::regclass))"
      + " or (c.relnamespace = to_regnamespace('" + DETACHED_SCHEMA + "') and c.relkind = 'r')) ";
  private static final String SIZE = TREE
      + "select count(*) filter (where leaf), coalesce(sum(pg_total_relation_size(oid)), 0) from tree";
  private static final String STATS = TREE
      + "select s.relid::bigint, s.relid in (select oid from tree), s.n_live_tup, s.n_dead_tup, s.autovacuum_count"
      + " from pg_stat_all_tables s"
      + " where s.relid in (select oid from tree) or s.relid in (select reltoastrelid from tree)";
  private static final String ELSEWHERE = TREE
      + "select coalesce(sum(n_dead_tup), 0) from pg_stat_user_tables where relid not in (select oid from tree)";
  private static final String KIND = TREE
      + "select count(*) filter (where not leaf) > 0, count(*) filter (where leaf) from tree";

  private final String relation;
  /** Autovacuum runs per relation as last seen: a partition dropped by retention keeps its count here. */
  private final Map<Long, Long> autovacuums = new HashMap<>();
  /** The runs counted at the first look, so that a run reports only its own (a database of yours has history). */
  private long runsBefore = -1;

  ChunkStorage(String relation) {
    this.relation = relation;
  }

  /** What the storage is: "rowstream.chunk, a partitioned table of 1 partitions…" or "…, a plain table". */
  String describe(Connection c) throws SQLException {
    return query(c, KIND, rs -> {
      rs.next();
      return relation + (rs.getBoolean(1) ? ", a partitioned table of " + rs.getLong(2) + " partitions at the start"
          : ", a plain table");
    });
  }

  Snapshot sample(Connection c) throws SQLException {
    long[] size = query(c, SIZE, rs -> {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    });
    long[] tuples = query(c, STATS, rs -> {
      long live = 0;
      long dead = 0;
      while (rs.next()) {
        live += rs.getBoolean(2) ? rs.getLong(3) : 0;
        dead += rs.getLong(4);
        autovacuums.put(rs.getLong(1), rs.getLong(5));
      }
      return new long[] {live, dead};
    });
    long elsewhere = query(c, ELSEWHERE, rs -> {
      rs.next();
      return rs.getLong(1);
    });
    long runs = autovacuums.values().stream().mapToLong(Long::longValue).sum();
    if (runsBefore < 0) {
      runsBefore = runs;
    }
    return new Snapshot((int) size[0], size[1], tuples[0], tuples[1], runs - runsBefore, elsewhere);
  }

  private interface Rows<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** Runs one of the queries above, its tree bound to the relation. */
  private <T> T query(Connection c, String sql, Rows<T> rows) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, relation);
      ps.setString(2, relation);
      try (ResultSet rs = ps.executeQuery()) {
        return rows.read(rs);
      }
    }
  }
}
