package io.rowstream.bench;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where the retention soak's stream is stored and how its retained size is read: the broker's
 * chunk storage ({@link RowstreamSoakLayout}) or the plain table with {@code DELETE} retention
 * ({@link DeleteRetentionBaseline}). The soak samples both the same way.
 */
interface SoakLayout extends AutoCloseable {

  /** One line for the report: what is written and how retention runs. */
  String description();

  /** What the layout itself did during the run (its retention passes, say), for the report; may be empty. */
  default String summary() {
    return "";
  }

  /** The relation {@code pg_partition_tree} starts from: the chunk storage, partitioned or not. */
  String chunkRelation();

  /** A writer for one client thread; {@code client} numbers them from 0. */
  Writer writer(int client) throws IOException, SQLException;

  /** What retention left: segments and their bytes, and how many partitions it has trimmed yet. */
  Retained retained(Connection c) throws SQLException;

  /** Writes one request's batch of records. Used by one thread at a time. */
  interface Writer extends AutoCloseable {
    void write() throws IOException, SQLException;

    @Override
    default void close() throws SQLException {}
  }

  /**
   * Segments and their bytes (Kafka's log size) across the storage; {@code trimmedPartitions}: the
   * soak topic's partitions whose log start offset retention has moved past 0.
   */
  record Retained(long segments, long bytes, int trimmedPartitions) {}

  @Override
  void close() throws SQLException, InterruptedException;
}
