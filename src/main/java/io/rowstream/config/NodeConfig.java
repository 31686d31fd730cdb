package io.rowstream.config;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything a node needs to start, resolved from environment variables and command-line
 * flags by {@link NodeConfigParser}.
 *
 * @param dbUrl JDBC URL of the PostgreSQL to use; empty means an embedded PostgreSQL kept under
 *     {@code dataDir}
 * @param httpPort listening port; 0 picks a free one
 * @param httpHost address the listener binds; empty means loopback with authentication off and every
 *     interface with it on ({@link #bindHost()})
 * @param nodeId broker id; empty means allocated from the database at first start and remembered
 *     in {@code dataDir}
 * @param advertisedUrl base URL clients and other nodes use; empty means {@code http://localhost:port}
 * @param maxRequestBytes largest HTTP request body accepted (413 above it)
 * @param embeddedDbPort port the embedded PostgreSQL prefers (0: any free port)
 * @param consumerInstanceTimeoutMs how long a consumer instance (and its group membership) lives without a
 *     call, when it names no {@code session.timeout.ms}: the REST Proxy's {@code consumer.instance.timeout.ms}
 * @param groupReaperIntervalMs longest time between two passes of this node's group maintenance
 * @param logMaintenanceIntervalMs time between two passes of log maintenance (retention, compaction,
 *     dropping segment storage), Kafka's {@code log.retention.check.interval.ms}; one node at a time runs it
 *     (reaping members whose lease ended, rebalancing groups whose subscribed partitions changed;
 *     one node at a time does it); a pass also runs just after the earliest lease end, if sooner
 * @param cluster broker lease, heartbeat and controller tick (failover speed)
 * @param ops authentication, ACLs, TLS, limits and shutdown ({@link OpsConfig})
 * @param kafka the listener for Kafka's binary protocol ({@link KafkaListenerConfig})
 */
public record NodeConfig(
    Optional<String> dbUrl,
    Optional<String> dbUser,
    Optional<String> dbPassword,
    Path dataDir,
    int httpPort,
    Optional<String> httpHost,
    OptionalInt nodeId,
    Optional<String> advertisedUrl,
    int dbPoolSize,
    long maxRequestBytes,
    int embeddedDbPort,
    int consumerInstanceTimeoutMs,
    int groupReaperIntervalMs,
    int logMaintenanceIntervalMs,
    ClusterTimings cluster,
    OpsConfig ops,
    KafkaListenerConfig kafka) {

  public static final int DEFAULT_HTTP_PORT = 8082;
  public static final long DEFAULT_MAX_REQUEST_BYTES = 64L * 1024 * 1024;
  public static final int DEFAULT_EMBEDDED_DB_PORT = 54329;
  /** The REST Proxy's consumer.instance.timeout.ms default. */
  public static final int DEFAULT_CONSUMER_INSTANCE_TIMEOUT_MS = 300_000;

  public static final int DEFAULT_GROUP_REAPER_INTERVAL_MS = 1_000;
  public static final int DEFAULT_LOG_MAINTENANCE_INTERVAL_MS = 30_000;

  public NodeConfig {
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("http port must be 0..65535, got " + httpPort);
    }
    if (nodeId.isPresent() && (nodeId.getAsInt() < 0 || nodeId.getAsInt() > 1000)) {
      throw new IllegalArgumentException(
          "node id must be 0..1000 (ids above 1000 are allocated automatically), got "
              + nodeId.getAsInt());
    }
    if (dbPoolSize < 2) {
      throw new IllegalArgumentException("db pool size must be at least 2, got " + dbPoolSize);
    }
    if (maxRequestBytes < 1024) {
      throw new IllegalArgumentException(
          "max request bytes must be at least 1024, got " + maxRequestBytes);
    }
    if (consumerInstanceTimeoutMs < 500 || consumerInstanceTimeoutMs > 1_800_000) {
      throw new IllegalArgumentException(
          "consumer instance timeout must be 500..1800000 ms, got " + consumerInstanceTimeoutMs);
    }
    if (groupReaperIntervalMs < 10) {
      throw new IllegalArgumentException(
          "group reaper interval must be at least 10 ms, got " + groupReaperIntervalMs);
    }
    if (logMaintenanceIntervalMs < 10) {
      throw new IllegalArgumentException(
          "log maintenance interval must be at least 10 ms, got " + logMaintenanceIntervalMs);
    }
  }

  /** Every interface (the listener binds the wildcard address). */
  public static final String ALL_INTERFACES = "0.0.0.0";

  /**
   * The address the HTTP listener binds: {@code httpHost} when set, else loopback while
   * authentication is off (so that no other machine reaches an open node) and every interface when
   * it is on.
   */
  public String bindHost() {
    return httpHost.orElseGet(() -> ops.auth().enabled()
        ? ALL_INTERFACES
        : java.net.InetAddress.getLoopbackAddress().getHostAddress());
  }

  /** Whether {@code host} names this machine's loopback interface. */
  public static boolean isLoopback(String host) {
    String h = host.toLowerCase(java.util.Locale.ROOT);
    return h.equals("localhost")
        || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")
        || h.equals("::1")
        || h.equals("[::1]")
        || h.equals("0:0:0:0:0:0:0:1");
  }

  /** A configuration for a node on the given database, listening on a free port. */
  public static NodeConfig forDatabase(String url, String user, String password, Path dataDir) {
    return new NodeConfig(
        Optional.of(url),
        Optional.ofNullable(user),
        Optional.ofNullable(password),
        dataDir,
        0,
        Optional.empty(),
        OptionalInt.empty(),
        Optional.empty(),
        10,
        DEFAULT_MAX_REQUEST_BYTES,
        0,
        DEFAULT_CONSUMER_INSTANCE_TIMEOUT_MS,
        DEFAULT_GROUP_REAPER_INTERVAL_MS,
        DEFAULT_LOG_MAINTENANCE_INTERVAL_MS,
        ClusterTimings.DEFAULT,
        OpsConfig.defaults(),
        KafkaListenerConfig.anyFreePort());
  }

  public NodeConfig withMaxRequestBytes(long bytes) {
    return new NodeConfig(
        dbUrl,
        dbUser,
        dbPassword,
        dataDir,
        httpPort,
        httpHost,
        nodeId,
        advertisedUrl,
        dbPoolSize,
        bytes,
        embeddedDbPort,
        consumerInstanceTimeoutMs,
        groupReaperIntervalMs,
        logMaintenanceIntervalMs,
        cluster,
        ops,
        kafka);
  }

  public NodeConfig withHttpHost(String host) {
    return new NodeConfig(
        dbUrl,
        dbUser,
        dbPassword,
        dataDir,
        httpPort,
        Optional.of(host),
        nodeId,
        advertisedUrl,
        dbPoolSize,
        maxRequestBytes,
        embeddedDbPort,
        consumerInstanceTimeoutMs,
        groupReaperIntervalMs,
        logMaintenanceIntervalMs,
        cluster,
        ops,
        kafka);
  }

  public NodeConfig withNodeId(int id) {
    return new NodeConfig(
        dbUrl,
        dbUser,
        dbPassword,
        dataDir,
        httpPort,
        httpHost,
        OptionalInt.of(id),
        advertisedUrl,
        dbPoolSize,
        maxRequestBytes,
        embeddedDbPort,
        consumerInstanceTimeoutMs,
        groupReaperIntervalMs,
        logMaintenanceIntervalMs,
        cluster,
        ops,
        kafka);
  }

  public NodeConfig withGroupTimings(int instanceTimeoutMs, int reaperIntervalMs) {
    return new NodeConfig(
        dbUrl,
        dbUser,
        dbPassword,
        dataDir,
        httpPort,
        httpHost,
        nodeId,
        advertisedUrl,
        dbPoolSize,
        maxRequestBytes,
        embeddedDbPort,
        instanceTimeoutMs,
        reaperIntervalMs,
        logMaintenanceIntervalMs,
        cluster,
        ops,
        kafka);
  }

  public NodeConfig withOps(OpsConfig o) {
    return new NodeConfig(
        dbUrl,
        dbUser,
        dbPassword,
        dataDir,
        httpPort,
        httpHost,
        nodeId,
        advertisedUrl,
        dbPoolSize,
        maxRequestBytes,
        embeddedDbPort,
        consumerInstanceTimeoutMs,
        groupReaperIntervalMs,
        logMaintenanceIntervalMs,
        cluster,
        o,
        kafka);
  }

  public NodeConfig withClusterTimings(ClusterTimings timings) {
    return new NodeConfig(
        dbUrl,
        dbUser,
        dbPassword,
        dataDir,
        httpPort,
        httpHost,
        nodeId,
        advertisedUrl,
        dbPoolSize,
        maxRequestBytes,
        embeddedDbPort,
        consumerInstanceTimeoutMs,
        groupReaperIntervalMs,
        logMaintenanceIntervalMs,
        timings,
        ops,
        kafka);
  }

  public NodeConfig withLogMaintenanceIntervalMs(int intervalMs) {
    return new NodeConfig(
        dbUrl,
        dbUser,
        dbPassword,
        dataDir,
        httpPort,
        httpHost,
        nodeId,
        advertisedUrl,
        dbPoolSize,
        maxRequestBytes,
        embeddedDbPort,
        consumerInstanceTimeoutMs,
        groupReaperIntervalMs,
        intervalMs,
        cluster,
        ops,
        kafka);
  }

  public NodeConfig withKafka(KafkaListenerConfig k) {
    return new NodeConfig(
        dbUrl,
        dbUser,
        dbPassword,
        dataDir,
        httpPort,
        httpHost,
        nodeId,
        advertisedUrl,
        dbPoolSize,
        maxRequestBytes,
        embeddedDbPort,
        consumerInstanceTimeoutMs,
        groupReaperIntervalMs,
        logMaintenanceIntervalMs,
        cluster,
        ops,
        k);
  }
}
