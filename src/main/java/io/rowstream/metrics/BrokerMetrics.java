package io.rowstream.metrics;

import com.zaxxer.hikari.HikariPoolMXBean;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rowstream.background.PassStats;
import io.rowstream.db.Database;
import io.rowstream.db.Transactions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's meters, exposed as Prometheus text on {@code GET /metrics}: HTTP requests by route,
 * method and status; records and bytes in and out per topic; produce batch sizes and commit
 * latency; long-polls waiting; the connection pool; consumer lag per group and topic (read from
 * {@code consumer_lag_overview} at most once per {@link #LAG_REFRESH}, at scrape time); records sent
 * from SQL and not yet in the log, and the age of the oldest, per topic and partition (from
 * {@code sent_record_overview} at most once per {@link #SENT_BACKLOG_REFRESH}); the JVM.
 * Meters on the request path are looked up in a map, so recording one costs no allocation of ids.
 */
public final class BrokerMetrics implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerMetrics.class);
  static final Duration LAG_REFRESH = Duration.ofSeconds(15);
  private static final Duration[] LATENCY_BUCKETS =
      List.of(1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000).stream()
          .map(Duration::ofMillis)
          .toArray(Duration[]::new);

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final ConcurrentHashMap<String, Timer> requests = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> topicCounters = new ConcurrentHashMap<>();
  private final DistributionSummary produceBatch;
  private final Timer produceCommit;
  private final MultiGauge lag;
  private final GroupLagStore lagStore;
  private final ScrapeRead lagRead = new ScrapeRead(LAG_REFRESH);
  /** How stale the figures of records sent from SQL may be at a scrape. */
  static final Duration SENT_BACKLOG_REFRESH = Duration.ofSeconds(1);

  private final MultiGauge sentPending;
  private final MultiGauge sentOldestAge;
  private final SentRecordBacklogStore sentBacklog;
  private final ScrapeRead sentRead = new ScrapeRead(SENT_BACKLOG_REFRESH);

  private LongSupplier partitionReadsFromTail;
  private LongSupplier partitionReadsFromDatabase;

  /** Registers the gauge of the bytes this node's fetches in flight hold ({@code rowstream_fetch_bytes_in_flight}). */
  public void fetchBytesInFlight(LongSupplier inFlight) {
    Gauge.builder("rowstream.fetch.bytes.in.flight", inFlight, LongSupplier::getAsLong)
        .strongReference(true)
        .description("Bytes reserved by the fetches in flight on this node (their max_bytes)")
        .register(registry);
  }

  /**
   * Registers the counters of the partition reads of this node's fetches, by where they were
   * answered from ({@code rowstream_fetch_partition_reads_total{source="tail"|"database"}}): the
   * partition's tail this node holds in memory, or a read of the database.
   */
  public void fetchPartitionReads(LongSupplier fromTail, LongSupplier fromDatabase) {
    // A function counter holds its object weakly: these fields hold the suppliers.
    partitionReadsFromTail = fromTail;
    partitionReadsFromDatabase = fromDatabase;
    FunctionCounter.builder("rowstream.fetch.partition.reads", fromTail, LongSupplier::getAsLong)
        .tag("source", "tail")
        .description("Partition reads of fetches, by where they were answered from")
        .register(registry);
    FunctionCounter.builder(
            "rowstream.fetch.partition.reads", fromDatabase, LongSupplier::getAsLong)
        .tag("source", "database")
        .description("Partition reads of fetches, by where they were answered from")
        .register(registry);
  }

  /**
   * Registers the gauge of the bytes of Kafka request frames this node holds
   * ({@code rowstream_kafka_request_bytes_in_flight}).
   */
  public void kafkaRequestBytesInFlight(LongSupplier inFlight) {
    Gauge.builder("rowstream.kafka.request.bytes.in.flight", inFlight, LongSupplier::getAsLong)
        .strongReference(true)
        .description(
            "Bytes of Kafka request frames held by this node's connections (announced lengths)")
        .register(registry);
  }

  public BrokerMetrics(Database database, IntSupplier longPollsWaiting) {
    this.lagStore = new GroupLagStore(new Transactions(database).autocommit());
    this.sentBacklog = new SentRecordBacklogStore(new Transactions(database).autocommit());
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    produceBatch = DistributionSummary.builder("rowstream.produce.batch.records")
        .description("Records per produce request that was appended")
        .serviceLevelObjectives(1, 10, 100, 1000, 10000)
        .register(registry);
    produceCommit = Timer.builder("rowstream.produce.commit")
        .description("Time from a validated produce request to its commit (acks=all) or hand-off")
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry);
    Gauge.builder("rowstream.long.polls.waiting", longPollsWaiting, IntSupplier::getAsInt)
        .strongReference(true)
        .description("Fetches waiting for records on this node")
        .register(registry);
    poolGauge(database, "active", HikariPoolMXBean::getActiveConnections);
    poolGauge(database, "idle", HikariPoolMXBean::getIdleConnections);
    poolGauge(database, "pending", HikariPoolMXBean::getThreadsAwaitingConnection);
    poolGauge(database, "total", HikariPoolMXBean::getTotalConnections);
    lag = MultiGauge.builder("rowstream.consumer.group.lag")
        .description("Records between a group's committed offsets and the log end, per topic")
        .baseUnit("records")
        .register(registry);
    sentPending = MultiGauge.builder("rowstream.sent.records.pending")
        .description(
            "Records sent from SQL (rowstream.send), committed and not yet moved into the log")
        .register(registry);
    sentOldestAge = MultiGauge.builder("rowstream.sent.records.oldest.age")
        .description("Age of the oldest record sent from SQL and not yet moved into the log")
        .baseUnit("seconds")
        .register(registry);
  }

  /**
   * The passes of the node's background loops (the cluster tick with the controller's pass, the
   * group reaper, log maintenance, ...): count, time and longest, by loop; registered at scrape
   * time, as loops start after the meters (registering a meter again returns the one there).
   */
  private void registerBackgroundPasses() {
    PassStats.all().forEach((loop, stats) -> {
      FunctionCounter.builder("rowstream.background.passes", stats, PassStats::passes)
          .tag("loop", loop)
          .description("Passes of a background loop")
          .register(registry);
      FunctionCounter.builder("rowstream.background.pass.seconds", stats, PassStats::seconds)
          .tag("loop", loop)
          .description("Time the passes of a background loop took")
          .register(registry);
      Gauge.builder("rowstream.background.pass.max.seconds", stats, PassStats::maxSeconds)
          .tag("loop", loop)
          .description("Longest pass of a background loop")
          .register(registry);
    });
  }

  private void poolGauge(
      Database database, String state, ToDoubleFunction<HikariPoolMXBean> value) {
    Gauge.builder(
            "rowstream.db.pool.connections",
            database,
            d -> d.poolCounts() == null ? 0 : value.applyAsDouble(d.poolCounts()))
        .tag("state", state)
        .description("Connections of the node's database pool")
        .register(registry);
  }

  /** One HTTP request: its route template (not the path, to keep series few), method and status. */
  public void request(String route, String method, int status, long nanos) {
    String key = route + ' ' + method + ' ' + status;
    requests
        .computeIfAbsent(
            key,
            k -> Timer.builder("rowstream.http.requests")
                .description("HTTP requests by route, method and status")
                .tags("route", route, "method", method, "status", Integer.toString(status))
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Records appended to a topic by one request, their key and value bytes, and how long it took. */
  public void produced(String topic, int records, long bytes, long nanos) {
    topicCounter("rowstream.topic.in.records", topic, null).increment(records);
    topicCounter("rowstream.topic.in", topic, "bytes").increment(bytes);
    produceBatch.record(records);
    produceCommit.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Records fetched from a topic by one request, and their key and value bytes. */
  public void fetched(String topic, int records, long bytes) {
    if (records > 0) {
      topicCounter("rowstream.topic.out.records", topic, null).increment(records);
      topicCounter("rowstream.topic.out", topic, "bytes").increment(bytes);
    }
  }

  /** A per-topic counter; Prometheus names it {@code <name>_<unit>_total} (e.g. rowstream_topic_in_bytes_total). */
  private Counter topicCounter(String name, String topic, String unit) {
    return topicCounters.computeIfAbsent(
        name + ' ' + topic,
        k -> Counter.builder(name).tag("topic", topic).baseUnit(unit).register(registry));
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    refreshLag();
    refreshSentBacklog();
    registerBackgroundPasses();
    return registry.scrape();
  }

  /** Pending sent records per topic and partition, from sent_record_overview (a partition without any has no series). */
  private void refreshSentBacklog() {
    if (!sentRead.due()) {
      return;
    }
    try {
      var backlog = sentBacklog.backlog();
      sentPending.register(
          backlog.stream()
              .map(b -> MultiGauge.Row.of(partitionTags(b), b.records()))
              .toList(),
          true);
      sentOldestAge.register(
          backlog.stream()
              .map(b -> MultiGauge.Row.of(partitionTags(b), b.oldestAgeSeconds()))
              .toList(),
          true);
    } catch (RuntimeException e) {
      LOG.warn("reading sent record backlog for metrics failed error={}", e.getMessage());
    }
  }

  private static Tags partitionTags(SentRecordBacklogStore.PartitionBacklog b) {
    return Tags.of("topic", b.topic(), "partition", Integer.toString(b.partition()));
  }

  private void refreshLag() {
    if (!lagRead.due()) {
      return;
    }
    try {
      lag.register(
          lagStore.lagByGroupAndTopic().stream()
              .map(r -> MultiGauge.Row.of(Tags.of("group", r.group(), "topic", r.topic()), r.lag()))
              .toList(),
          true);
    } catch (RuntimeException e) {
      LOG.warn("reading consumer lag for metrics failed error={}", e.getMessage());
    }
  }

  /** Forces the next scrape to read consumer lag again (tests). */
  void forgetLag() {
    lagRead.forget();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }

  /** A read of the database made at scrape time at most once per {@code every}. */
  private static final class ScrapeRead {
    private final long everyNanos;
    private volatile long readAtNanos;

    ScrapeRead(Duration every) {
      this.everyNanos = every.toNanos();
      forget();
    }

    /** True, and the read counted as made now, when the last one is {@code every} old. */
    boolean due() {
      long now = System.nanoTime();
      if (now - readAtNanos < everyNanos) {
        return false;
      }
      readAtNanos = now;
      return true;
    }

    /** The next {@link #due()} answers true. */
    void forget() {
      readAtNanos = System.nanoTime() - everyNanos - 1;
    }
  }
}
