package io.rowstream.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.security.ssl.SslPrincipalMapper;

/**
 * How a node protects itself and is operated: authentication and ACLs, TLS, limits and quotas,
 * shutdown. Read from {@code ROWSTREAM_*} settings by {@link OpsConfigParser}.
 */
public record OpsConfig(Auth auth, Tls tls, Limits limits, Shutdown shutdown) {

  /** Everything off and every limit at its default: the local quick start. */
  public static OpsConfig defaults() {
    return new OpsConfig(Auth.disabled(), Tls.none(), Limits.defaults(), Shutdown.defaults());
  }

  public OpsConfig withAuth(Auth a) {
    return new OpsConfig(a, tls, limits, shutdown);
  }

  public OpsConfig withTls(Tls t) {
    return new OpsConfig(auth, t, limits, shutdown);
  }

  public OpsConfig withLimits(Limits l) {
    return new OpsConfig(auth, tls, l, shutdown);
  }

  public OpsConfig withShutdown(Shutdown s) {
    return new OpsConfig(auth, tls, limits, s);
  }

  /**
   * @param enabled whether every call but {@code /status/*} must authenticate (and pass the ACLs)
   * @param superUsers principals ({@code User:name}) allowed everything, whatever the ACLs say
   * @param bootstrapUser a user created at start when it does not exist yet (with
   *     {@code bootstrapPassword}), so that a fresh cluster has someone to manage it
   * @param allowEveryoneIfNoAclFound Kafka's {@code allow.everyone.if.no.acl.found}: a resource no
   *     ACL names is open to every authenticated principal
   * @param cacheTtl how long a verified credential or the ACL snapshot is trusted before it is read
   *     again (changes made through this node apply at once)
   * @param failures how much password checking failed authentication may cost
   */
  public record Auth(
      boolean enabled,
      Set<String> superUsers,
      Optional<String> bootstrapUser,
      Optional<String> bootstrapPassword,
      boolean allowEveryoneIfNoAclFound,
      Duration cacheTtl,
      AuthFailures failures) {
    public Auth {
      superUsers = Set.copyOf(superUsers);
      for (String p : superUsers) {
        if (!p.startsWith("User:") || p.length() == 5) {
          throw new IllegalArgumentException(
              "super users are principals like User:alice, got '" + p + "'");
        }
      }
      if (bootstrapUser.isPresent() != bootstrapPassword.isPresent()) {
        throw new IllegalArgumentException("the bootstrap user needs both a name and a password");
      }
      if (cacheTtl.isNegative() || cacheTtl.toMillis() > 300_000) {
        throw new IllegalArgumentException(
            "auth cache TTL must be 0..300000 ms, got " + cacheTtl.toMillis());
      }
    }

    /** Failed authentication bounded by {@link AuthFailures#defaults()}. */
    public Auth(
        boolean enabled,
        Set<String> superUsers,
        Optional<String> bootstrapUser,
        Optional<String> bootstrapPassword,
        boolean allowEveryoneIfNoAclFound,
        Duration cacheTtl) {
      this(
          enabled,
          superUsers,
          bootstrapUser,
          bootstrapPassword,
          allowEveryoneIfNoAclFound,
          cacheTtl,
          AuthFailures.defaults());
    }

    public static Auth disabled() {
      return new Auth(
          false, Set.of(), Optional.empty(), Optional.empty(), false, Duration.ofSeconds(5));
    }

    public Auth withFailures(AuthFailures f) {
      return new Auth(
          enabled,
          superUsers,
          bootstrapUser,
          bootstrapPassword,
          allowEveryoneIfNoAclFound,
          cacheTtl,
          f);
    }

    /** Authentication on, with {@code superUsers}, everything else at its default. */
    public static Auth enabled(String... superUsers) {
      return new Auth(
          true,
          Set.of(superUsers),
          Optional.empty(),
          Optional.empty(),
          false,
          Duration.ofSeconds(5));
    }
  }

  /**
   * How much CPU failed password checks (bcrypt) may take. A client address, or a user name, with
   * {@code limit} failed checks within {@code window} is refused without a check for a backoff
   * that starts at {@code backoff} and doubles with each further trip, up to {@code maxBackoff}; a
   * user name in backoff is still checked for addresses without a recent failure. At most
   * {@code concurrentPasswordChecks} checks run at once on the node, so that they cannot take every
   * core. A credential verified before (cached) is never held back.
   */
  public record AuthFailures(
      int limit,
      Duration window,
      Duration backoff,
      Duration maxBackoff,
      int concurrentPasswordChecks) {
    public AuthFailures {
      if (limit < 1 || concurrentPasswordChecks < 1) {
        throw new IllegalArgumentException(
            "the auth failure limit and concurrent password checks must be at least 1");
      }
      if (window.toMillis() < 1 || backoff.toMillis() < 1 || maxBackoff.compareTo(backoff) < 0) {
        throw new IllegalArgumentException(
            "auth failure window and backoff must be at least 1 ms, and the "
                + "longest backoff at least the first, got window " + window.toMillis()
                + " ms, backoff "
                + backoff.toMillis() + " ms, longest " + maxBackoff.toMillis() + " ms");
      }
    }

    /** 10 failures a minute; 10 s backoff, doubling up to 10 min; checks on half the cores. */
    public static AuthFailures defaults() {
      return new AuthFailures(
          10,
          Duration.ofMinutes(1),
          Duration.ofSeconds(10),
          Duration.ofMinutes(10),
          defaultConcurrentPasswordChecks());
    }

    /** Half the cores, at least one: failed authentication never takes them all (on 2 or more). */
    public static int defaultConcurrentPasswordChecks() {
      return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }
  }

  /**
   * The HTTP listener's TLS. Either a PEM certificate chain and key, or a PKCS12 key store.
   *
   * @param clientAuth {@code none}, {@code want} or {@code need} a client certificate (mTLS); a
   *     verified certificate's subject becomes the principal
   * @param trustStore CA certificates (PEM or PKCS12) that sign client certificates
   * @param principalMappingRules Kafka's {@code ssl.principal.mapping.rules}: how a client
   *     certificate's subject DN (RFC 2253) becomes a principal's name; {@code DEFAULT} keeps the DN
   */
  public record Tls(
      Optional<Path> certificate,
      Optional<Path> privateKey,
      Optional<Path> keyStore,
      Optional<String> keyStorePassword,
      String clientAuth,
      Optional<Path> trustStore,
      Optional<String> trustStorePassword,
      String principalMappingRules) {
    public static final String DEFAULT_PRINCIPAL_MAPPING = "DEFAULT";

    public Tls(
        Optional<Path> certificate,
        Optional<Path> privateKey,
        Optional<Path> keyStore,
        Optional<String> keyStorePassword,
        String clientAuth,
        Optional<Path> trustStore,
        Optional<String> trustStorePassword) {
      this(
          certificate,
          privateKey,
          keyStore,
          keyStorePassword,
          clientAuth,
          trustStore,
          trustStorePassword,
          DEFAULT_PRINCIPAL_MAPPING);
    }

    public Tls {
      try {
        SslPrincipalMapper.fromRules(principalMappingRules);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "ROWSTREAM_TLS_PRINCIPAL_MAPPING_RULES: " + e.getMessage(), e);
      }
      if (certificate.isPresent() != privateKey.isPresent()) {
        throw new IllegalArgumentException(
            "a PEM certificate needs its private key, and the other way round");
      }
      if (certificate.isPresent() && keyStore.isPresent()) {
        throw new IllegalArgumentException(
            "configure TLS with PEM files or with a PKCS12 key store, not both");
      }
      if (!Set.of("none", "want", "need").contains(clientAuth)) {
        throw new IllegalArgumentException(
            "TLS client auth must be none, want or need, got '" + clientAuth + "'");
      }
      if (!"none".equals(clientAuth) && trustStore.isEmpty()) {
        throw new IllegalArgumentException(
            "client certificates need a trust store (ROWSTREAM_TLS_TRUSTSTORE)");
      }
      if (!"none".equals(clientAuth) && certificate.isEmpty() && keyStore.isEmpty()) {
        throw new IllegalArgumentException("client certificates need TLS on the listener");
      }
    }

    public static Tls none() {
      return new Tls(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          "none",
          Optional.empty(),
          Optional.empty());
    }

    public boolean enabled() {
      return certificate.isPresent() || keyStore.isPresent();
    }

    public Tls withPrincipalMappingRules(String rules) {
      return new Tls(
          certificate,
          privateKey,
          keyStore,
          keyStorePassword,
          clientAuth,
          trustStore,
          trustStorePassword,
          rules);
    }
  }

  /**
   * What one request, principal or node may ask for.
   *
   * @param maxConsumersPerGroup consumer instances in one group, cluster-wide
   * @param maxConsumersPerPrincipal consumer instances one principal owns, cluster-wide
   * @param maxGroupsPerPrincipal groups one principal owns consumer instances in, cluster-wide
   * @param produceByteRate bytes per second a principal may produce on this node (0: no quota)
   * @param fetchByteRate bytes per second a principal may fetch on this node (0: no quota)
   * @param maxFetchBytesInFlight bytes the fetches in flight on this node may ask for together
   *     ({@code max_bytes} each, held from before the read until the response is written)
   * @param requestHeaderTimeoutMs time from a request's first byte to the end of its headers; also
   *     the time a request body may take before it must keep up with {@code minRequestBodyRate}
   * @param minRequestBodyRate bytes per second a request body must arrive at, on average, after that
   * @param maxPartitionsPerTopic partitions one topic may have, at creation or after adding some
   * @param maxPartitions partitions all topics of the cluster may have together
   */
  public record Limits(
      int maxRecordsPerRequest,
      int maxHeadersPerRecord,
      int maxHeaderBytes,
      int maxConsumersPerGroup,
      int maxConsumersPerPrincipal,
      int maxGroupsPerPrincipal,
      int maxLongPolls,
      long produceByteRate,
      long fetchByteRate,
      long maxFetchBytesInFlight,
      int requestHeaderTimeoutMs,
      long minRequestBodyRate,
      int maxPartitionsPerTopic,
      int maxPartitions) {
    /**
     * Partitions one topic may have. An empty partition costs a few rows, no table; the bound keeps
     * one request's work (and its Metadata answer) in proportion.
     */
    public static final int DEFAULT_MAX_PARTITIONS_PER_TOPIC = 10_000;
    /** Partitions all topics together may have (Kafka's KRaft guidance is about 200,000 per cluster). */
    public static final int DEFAULT_MAX_PARTITIONS = 200_000;

    public static final long DEFAULT_MAX_FETCH_BYTES_IN_FLIGHT = 256L * 1024 * 1024;
    public static final int DEFAULT_MAX_CONSUMERS_PER_PRINCIPAL = 10_000;
    public static final int DEFAULT_MAX_GROUPS_PER_PRINCIPAL = 1_000;
    /** Apache mod_reqtimeout's defaults (header=20, body=20, MinRate=500). */
    public static final int DEFAULT_REQUEST_HEADER_TIMEOUT_MS = 20_000;

    public static final long DEFAULT_MIN_REQUEST_BODY_RATE = 500;

    public Limits(
        int maxRecordsPerRequest,
        int maxHeadersPerRecord,
        int maxHeaderBytes,
        int maxConsumersPerGroup,
        int maxLongPolls,
        long produceByteRate,
        long fetchByteRate) {
      this(
          maxRecordsPerRequest,
          maxHeadersPerRecord,
          maxHeaderBytes,
          maxConsumersPerGroup,
          DEFAULT_MAX_CONSUMERS_PER_PRINCIPAL,
          DEFAULT_MAX_GROUPS_PER_PRINCIPAL,
          maxLongPolls,
          produceByteRate,
          fetchByteRate,
          DEFAULT_MAX_FETCH_BYTES_IN_FLIGHT,
          DEFAULT_REQUEST_HEADER_TIMEOUT_MS,
          DEFAULT_MIN_REQUEST_BODY_RATE,
          DEFAULT_MAX_PARTITIONS_PER_TOPIC,
          DEFAULT_MAX_PARTITIONS);
    }

    public Limits {
      if (maxFetchBytesInFlight < 1) {
        throw new IllegalArgumentException(
            "max fetch bytes in flight must be at least 1, got " + maxFetchBytesInFlight);
      }
      positive("max records per request", maxRecordsPerRequest);
      positive("max headers per record", maxHeadersPerRecord);
      positive("max header bytes", maxHeaderBytes);
      positive("max consumers per group", maxConsumersPerGroup);
      positive("max consumers per principal", maxConsumersPerPrincipal);
      positive("max groups per principal", maxGroupsPerPrincipal);
      positive("max long polls", maxLongPolls);
      if (produceByteRate < 0 || fetchByteRate < 0) {
        throw new IllegalArgumentException("byte-rate quotas must be 0 (none) or positive");
      }
      if (requestHeaderTimeoutMs < 10) {
        throw new IllegalArgumentException(
            "request header timeout must be at least 10 ms, got " + requestHeaderTimeoutMs);
      }
      positive("max partitions per topic", maxPartitionsPerTopic);
      positive("max partitions", maxPartitions);
      if (maxPartitionsPerTopic > maxPartitions) {
        throw new IllegalArgumentException("max partitions per topic (" + maxPartitionsPerTopic
            + ") must not exceed max partitions (" + maxPartitions + ")");
      }
      if (minRequestBodyRate < 1) {
        throw new IllegalArgumentException(
            "min request body rate must be at least 1 byte/s, got " + minRequestBodyRate);
      }
    }

    public static Limits defaults() {
      return new Limits(100_000, 100, 64 * 1024, 1_000, 10_000, 0, 0);
    }

    public Limits withQuotas(long produce, long fetch) {
      return new Limits(
          maxRecordsPerRequest,
          maxHeadersPerRecord,
          maxHeaderBytes,
          maxConsumersPerGroup,
          maxConsumersPerPrincipal,
          maxGroupsPerPrincipal,
          maxLongPolls,
          produce,
          fetch,
          maxFetchBytesInFlight,
          requestHeaderTimeoutMs,
          minRequestBodyRate,
          maxPartitionsPerTopic,
          maxPartitions);
    }

    public Limits withMaxFetchBytesInFlight(long bytes) {
      return new Limits(
          maxRecordsPerRequest,
          maxHeadersPerRecord,
          maxHeaderBytes,
          maxConsumersPerGroup,
          maxConsumersPerPrincipal,
          maxGroupsPerPrincipal,
          maxLongPolls,
          produceByteRate,
          fetchByteRate,
          bytes,
          requestHeaderTimeoutMs,
          minRequestBodyRate,
          maxPartitionsPerTopic,
          maxPartitions);
    }

    public Limits withConsumerCaps(int perGroup, int perPrincipal, int groupsPerPrincipal) {
      return new Limits(
          maxRecordsPerRequest,
          maxHeadersPerRecord,
          maxHeaderBytes,
          perGroup,
          perPrincipal,
          groupsPerPrincipal,
          maxLongPolls,
          produceByteRate,
          fetchByteRate,
          maxFetchBytesInFlight,
          requestHeaderTimeoutMs,
          minRequestBodyRate,
          maxPartitionsPerTopic,
          maxPartitions);
    }

    /** The same limits with other partition limits, per topic and cluster-wide. */
    public Limits withPartitionLimits(int perTopic, int perCluster) {
      return new Limits(
          maxRecordsPerRequest,
          maxHeadersPerRecord,
          maxHeaderBytes,
          maxConsumersPerGroup,
          maxConsumersPerPrincipal,
          maxGroupsPerPrincipal,
          maxLongPolls,
          produceByteRate,
          fetchByteRate,
          maxFetchBytesInFlight,
          requestHeaderTimeoutMs,
          minRequestBodyRate,
          perTopic,
          perCluster);
    }

    /** The same limits with another request header timeout and minimum body rate. */
    public Limits withRequestDeadlines(int headerTimeoutMs, long minBodyRate) {
      return new Limits(
          maxRecordsPerRequest,
          maxHeadersPerRecord,
          maxHeaderBytes,
          maxConsumersPerGroup,
          maxConsumersPerPrincipal,
          maxGroupsPerPrincipal,
          maxLongPolls,
          produceByteRate,
          fetchByteRate,
          maxFetchBytesInFlight,
          headerTimeoutMs,
          minBodyRate,
          maxPartitionsPerTopic,
          maxPartitions);
    }

    private static void positive(String what, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(what + " must be at least 1, got " + value);
      }
    }
  }

  /**
   * @param timeout longest time from SIGTERM to exit (the node halts if closing takes longer).
   *     Consumer instances are rows, not node memory: they stay, and any other node serves them.
   */
  public record Shutdown(Duration timeout) {
    public Shutdown {
      if (timeout.toMillis() < 100) {
        throw new IllegalArgumentException(
            "shutdown timeout must be at least 100 ms, got " + timeout.toMillis());
      }
    }

    public static Shutdown defaults() {
      return new Shutdown(Duration.ofSeconds(30));
    }
  }
}
