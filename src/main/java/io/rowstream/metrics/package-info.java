/**
 * The node's meters ({@link io.rowstream.metrics.BrokerMetrics}), exposed as Prometheus text on
 * {@code GET /metrics}: requests, records and bytes per topic, produce batches and commit latency,
 * long-polls, the connection pool, consumer lag (read from the {@code consumer_lag_overview} view
 * at scrape time), records sent from SQL and not yet moved into the log (from
 * {@code sent_record_overview}, at scrape time) and the JVM.
 *
 * <p>May use: {@code db} only (its {@code GroupLagStore} reads the lag view, {@code SentRecordBacklogStore} the sent records' view; the pool counts come
 * from {@code Database}).
 */
package io.rowstream.metrics;
