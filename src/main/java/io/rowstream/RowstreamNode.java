package io.rowstream;

import io.javalin.Javalin;
import io.rowstream.cluster.BrokerInfo;
import io.rowstream.cluster.BrokerRegistry;
import io.rowstream.cluster.BrokerStore;
import io.rowstream.cluster.ClusterNode;
import io.rowstream.cluster.DurableCopies;
import io.rowstream.cluster.LeaderView;
import io.rowstream.cluster.NodeHealth;
import io.rowstream.cluster.NodeIdentity;
import io.rowstream.cluster.PartitionLeaders;
import io.rowstream.config.NodeConfig;
import io.rowstream.config.OpsConfig;
import io.rowstream.consumer.ConsumerCaps;
import io.rowstream.consumer.ConsumerService;
import io.rowstream.db.Database;
import io.rowstream.db.EmbeddedDatabase;
import io.rowstream.db.Migrations;
import io.rowstream.db.Notifications;
import io.rowstream.db.SqlErrors;
import io.rowstream.db.Transactions;
import io.rowstream.group.ClassicGroups;
import io.rowstream.group.ConsumerGroupDescriptions;
import io.rowstream.group.ConsumerGroupHeartbeats;
import io.rowstream.group.GroupAdmin;
import io.rowstream.group.GroupCoordinator;
import io.rowstream.group.GroupInspector;
import io.rowstream.group.GroupOffsetResets;
import io.rowstream.group.GroupOffsets;
import io.rowstream.group.GroupReaper;
import io.rowstream.group.GroupWakeups;
import io.rowstream.group.HeartbeatSettings;
import io.rowstream.group.PatternMatches;
import io.rowstream.group.SessionTimeoutBounds;
import io.rowstream.http.HttpApp;
import io.rowstream.http.LeaderClient;
import io.rowstream.kafka.KafkaDoor;
import io.rowstream.kafka.KafkaErrors;
import io.rowstream.kafka.KafkaListener;
import io.rowstream.kafka.auth.TlsTransport;
import io.rowstream.log.ChunkReader;
import io.rowstream.log.ChunkStore;
import io.rowstream.log.EpochEndOffsets;
import io.rowstream.log.FetchMemoryBudget;
import io.rowstream.log.LogAppendListener;
import io.rowstream.log.LogAppendNotifier;
import io.rowstream.log.LogSegments;
import io.rowstream.log.LogSignals;
import io.rowstream.log.LongPoll;
import io.rowstream.log.OffsetsByTime;
import io.rowstream.log.PartitionAppender;
import io.rowstream.log.PartitionKey;
import io.rowstream.log.PartitionLog;
import io.rowstream.metrics.BrokerMetrics;
import io.rowstream.produce.IdempotentProducers;
import io.rowstream.produce.ProduceService;
import io.rowstream.produce.ProducerStore;
import io.rowstream.retention.LogMaintenance;
import io.rowstream.security.Security;
import io.rowstream.send.SentRecordMover;
import io.rowstream.services.BrokerServices;
import io.rowstream.services.OpsServices;
import io.rowstream.topic.ClusterConfigStore;
import io.rowstream.topic.PartitionLimits;
import io.rowstream.topic.TopicAdmin;
import io.rowstream.topic.TopicCache;
import io.rowstream.topic.TopicService;
import io.rowstream.topic.TopicStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running broker node: its database (embedded or configured), schema, HTTP server and
 * background work. Stateless apart from caches: every fact lives in PostgreSQL.
 */
public final class RowstreamNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RowstreamNode.class);
  /**
   * How often the mover of records sent from SQL looks for rows without a notification: the
   * delivery delay of sessions that send with rowstream.send_notify off. One probe of an index a
   * pass.
   */
  private static final Duration SENT_RECORD_SWEEP = Duration.ofMillis(100);

  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private Database database;
  private BrokerServices services;
  private Javalin http;
  private KafkaListener kafka;
  private ClusterNode cluster;
  private int port;
  private String scheme = "http";
  private String host = "localhost";

  private RowstreamNode() {}

  /** Starts a node; on failure, whatever was started is stopped again. */
  public static RowstreamNode start(NodeConfig config) {
    RowstreamNode node = new RowstreamNode();
    try {
      node.startUp(config);
      return node;
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  private void startUp(NodeConfig config) {
    String url;
    String user = config.dbUser().orElse(null);
    String password = config.dbPassword().orElse(null);
    if (config.dbUrl().isPresent()) {
      url = config.dbUrl().get();
    } else {
      EmbeddedDatabase embedded = EmbeddedDatabase.start(
          config.dataDir().resolve("postgres"),
          config.dataDir().resolve("postgres.password"),
          config.embeddedDbPort());
      resources.push(embedded);
      url = embedded.jdbcUrl();
      user = embedded.user();
      password = embedded.password();
    }
    database = Database.connect(url, user, password, config.dbPoolSize(), "rowstream");
    resources.push(database);
    Migrations.apply(database.dataSource());

    BrokerRegistry brokers = new BrokerRegistry(new BrokerStore(database.dsl()));
    int nodeId = NodeIdentity.resolve(config.nodeId(), config.dataDir(), brokers);
    Clock clock = Clock.systemUTC();
    TopicStore topics = new TopicStore(database.dsl());
    TopicCache topicCache = new TopicCache(topics);
    LogSignals signals = new LogSignals();
    Notifications notifications = new Notifications(database);
    LogAppendNotifier notifier = new LogAppendNotifier(notifications, nodeId, Duration.ofMillis(5));
    resources.push(notifier);
    resources.push(new LogAppendListener(notifications, signals, nodeId));
    LongPoll longPoll = new LongPoll(signals, Duration.ofSeconds(10));
    Transactions transactions = new Transactions(database);
    LeaderView leaderView = new LeaderView(transactions, nodeId);
    DurableCopies copies = new DurableCopies();
    ChunkStore chunks = new ChunkStore(database);
    PartitionLog log = new PartitionLog(
        new PartitionAppender(chunks, clock, leaderView),
        new ChunkReader(chunks),
        signals,
        notifier,
        longPoll,
        clock);
    ProduceService produce = new ProduceService(
        topicCache,
        log,
        LeaderClient.create(leaderView, brokers.nodeSecret(), config.ops().tls()),
        new IdempotentProducers(new ProducerStore(database.dsl())),
        copies,
        clock);
    resources.push(produce);
    Security security = Security.start(transactions, config.ops().auth(), brokers.nodeSecret());
    OpsConfig.Limits limits = config.ops().limits();
    PatternMatches patterns = new PatternMatches();
    OffsetsByTime offsetsByTime = new OffsetsByTime(chunks, log);
    ConsumerService consumers = new ConsumerService(
        transactions,
        topicCache,
        log,
        new GroupCoordinator(transactions, patterns, security.permissions()),
        offsetsByTime,
        config.consumerInstanceTimeoutMs(),
        new ConsumerCaps(
            limits.maxConsumersPerGroup(),
            limits.maxConsumersPerPrincipal(),
            limits.maxGroupsPerPrincipal()));
    GroupWakeups groupWakeups = new GroupWakeups(notifications);
    resources.push(groupWakeups);
    resources.push(GroupReaper.start(
        database,
        patterns,
        security.permissions(),
        Duration.ofMillis(config.groupReaperIntervalMs())));
    LogMaintenance maintenance = LogMaintenance.start(
        database,
        topics,
        Duration.ofMillis(config.logMaintenanceIntervalMs()),
        (topicId, partition) -> log.changed(new PartitionKey(topicId, partition)));
    resources.push(maintenance);

    services = new BrokerServices(
        nodeId,
        brokers.clusterId(),
        config.advertisedUrl(),
        new NodeHealth(database),
        SqlErrors::translateEscaped,
        brokers,
        new TopicService(topics),
        topicCache,
        log,
        offsetsByTime,
        produce,
        new TopicAdmin(
            topics,
            new ClusterConfigStore(database.dsl()),
            topicCache,
            maintenance::passSoon,
            () -> brokers.liveBrokers().size(),
            new PartitionLimits(limits.maxPartitionsPerTopic(), limits.maxPartitions())),
        new PartitionLeaders(transactions),
        consumers,
        new GroupInspector(transactions),
        new GroupOffsets(transactions),
        new GroupAdmin(transactions),
        new GroupOffsetResets(transactions, offsetsByTime),
        new ClassicGroups(
            transactions,
            groupWakeups,
            new SessionTimeoutBounds(
                config.kafka().groups().classicMinSessionTimeoutMs(),
                config.kafka().groups().classicMaxSessionTimeoutMs())),
        leaderView,
        new FetchMemoryBudget(limits.maxFetchBytesInFlight()),
        new EpochEndOffsets(chunks),
        new ConsumerGroupHeartbeats(
            transactions,
            patterns,
            security.permissions(),
            new HeartbeatSettings(
                config.kafka().groups().consumerSessionTimeoutMs(),
                config.kafka().groups().consumerHeartbeatIntervalMs(),
                limits.maxConsumersPerGroup())),
        new ConsumerGroupDescriptions(transactions),
        new LogSegments(transactions));
    resources.push(new SentRecordMover(
        transactions, notifications, topicCache, log, leaderView, SENT_RECORD_SWEEP));
    BrokerMetrics metrics = new BrokerMetrics(database, log::waiting);
    metrics.fetchBytesInFlight(services.fetchMemory()::inFlight);
    metrics.fetchPartitionReads(log::partitionReadsFromTail, log::partitionReadsFromDatabase);
    resources.push(metrics);
    OpsServices ops = new OpsServices(security, metrics);
    http = HttpApp.create(services, config, ops);
    http.start(config.httpPort());
    resources.push(() -> {
      longPoll.close();
      http.stop();
    });
    port = http.port();
    scheme = config.ops().tls().enabled() ? "https" : "http";
    host = urlHost(config.bindHost());
    if (!config.ops().auth().enabled() && !NodeConfig.isLoopback(config.bindHost())) {
      LOG.warn(
          "authentication is off and the listener binds host={}: anyone who reaches it may do anything; "
              + "set ROWSTREAM_AUTH_ENABLED=true",
          config.bindHost());
    }
    String advertised = config.advertisedUrl().orElse(baseUrl());
    if (config.ops().tls().enabled() && !advertised.startsWith("https://")) {
      throw new IllegalArgumentException(
          "with TLS on, the advertised URL must be https:// (other nodes call it "
              + "with the node secret), got " + advertised);
    }

    BrokerInfo.KafkaAddress kafkaAddress = null;
    if (config.kafka().enabled()) {
      KafkaErrors kafkaErrors = new KafkaErrors(services.failures());
      kafka = KafkaListener.start(
          new KafkaListener.Settings(
              config.bindHost(),
              config.kafka().port().orElseThrow(),
              config.kafka().requests().maxBytes(),
              config.kafka().requests().maxConnectionsPerAddress(),
              security.enabled(),
              security.permissions(),
              TlsTransport.of(config.ops().tls()),
              config.kafka().saslPlainWithoutTls(),
              config.kafka().requests().maxBytesInFlight(),
              config.kafka().requests().bodyTimeoutMs()),
          KafkaDoor.apis(services, ops, kafkaErrors),
          kafkaErrors);
      resources.push(kafka);
      metrics.kafkaRequestBytesInFlight(kafka::requestBytesInFlight);
      kafkaAddress = kafkaAddress(config, advertised, kafka.port());
    }

    brokers.register(nodeId, advertised, kafkaAddress, config.cluster().lease());
    cluster = ClusterNode.start(database, nodeId, config.cluster(), leaderView, copies);
    ClusterNode joined = cluster;
    resources.push(() -> {
      joined.close();
      brokers.resign(nodeId);
    });
    LOG.info(
        "rowstream node started nodeId={} host={} port={} advertisedUrl={} kafka={} clusterId={}",
        nodeId,
        config.bindHost(),
        port,
        advertised,
        kafkaAddress == null ? "off" : kafkaAddress,
        services.clusterId());
  }

  public int port() {
    return port;
  }

  public ClusterNode cluster() {
    return cluster;
  }

  public BrokerServices services() {
    return services;
  }

  /** The node's connection to PostgreSQL, for the wiring and for tests; the doors never see it. */
  public Database database() {
    return database;
  }

  /** Every HTTP route this node serves, as {@code METHOD /path/{param}}. */
  public java.util.List<String> routes() {
    return http.unsafe.internalRouter.allHttpHandlers().stream()
        .filter(e -> e.endpoint.method.isHttpMethod())
        .map(e -> e.endpoint.method.name() + " " + e.endpoint.path)
        .toList();
  }

  /** This node's own URL: localhost when it listens on loopback or every interface, else its bound address. */
  public String baseUrl() {
    return scheme + "://" + host + ":" + port;
  }

  /**
   * Where Kafka clients are told to connect: {@code ROWSTREAM_KAFKA_ADVERTISED}, else the host of
   * the advertised HTTP URL and the port the Kafka listener took.
   */
  private static BrokerInfo.KafkaAddress kafkaAddress(
      NodeConfig config, String advertisedUrl, int listening) {
    if (config.kafka().advertised().isPresent()) {
      String a = config.kafka().advertised().get();
      int colon = a.lastIndexOf(':');
      String h = a.substring(0, colon);
      if (h.startsWith("[") && h.endsWith("]")) {
        h = h.substring(1, h.length() - 1);
      }
      return new BrokerInfo.KafkaAddress(h, Integer.parseInt(a.substring(colon + 1)));
    }
    String h = java.net.URI.create(advertisedUrl).getHost();
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return new BrokerInfo.KafkaAddress(h, listening);
  }

  /** The port of the Kafka listener, or -1 when the node has none. */
  public int kafkaPort() {
    return kafka == null ? -1 : kafka.port();
  }

  private static String urlHost(String bindHost) {
    if (NodeConfig.ALL_INTERFACES.equals(bindHost) || NodeConfig.isLoopback(bindHost)) {
      return "localhost";
    }
    return bindHost.contains(":") && !bindHost.startsWith("[") ? "[" + bindHost + "]" : bindHost;
  }

  /** Stops in reverse order of start: HTTP first (in-flight requests finish), the database last. */
  @Override
  public void close() {
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        LOG.warn("error while stopping error={}", e.getMessage());
      }
    }
    LOG.info("rowstream node stopped port={}", port);
  }
}
