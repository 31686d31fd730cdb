package io.rowstream.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

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
   */
  public record Auth(boolean enabled, Set<String> superUsers, Optional<String> bootstrapUser,
      Optional<String> bootstrapPassword, boolean allowEveryoneIfNoAclFound, Duration cacheTtl) {
    public Auth {
      superUsers = Set.copyOf(superUsers);
      for (String p : superUsers) {
        if (!p.startsWith("User:") || p.length() == 5) {
          throw new IllegalArgumentException("super users are principals like User:alice, got '" + p + "'");
        }
      }
      if (bootstrapUser.isPresent() != bootstrapPassword.isPresent()) {
        throw new IllegalArgumentException("the bootstrap user needs both a name and a password");
      }
      if (cacheTtl.isNegative() || cacheTtl.toMillis() > 300_000) {
        throw new IllegalArgumentException("auth cache TTL must be 0..300000 ms, got " + cacheTtl.toMillis());
      }
    }

    public static Auth disabled() {
      return new Auth(false, Set.of(), Optional.empty(), Optional.empty(), false, Duration.ofSeconds(5));
    }

    /** Authentication on, with {@code superUsers}, everything else at its default. */
    public static Auth enabled(String... superUsers) {
      return new Auth(true, Set.of(superUsers), Optional.empty(), Optional.empty(), false, Duration.ofSeconds(5));
    }
  }

  /**
   * The HTTP listener's TLS. Either a PEM certificate chain and key, or a PKCS12 key store.
   *
   * @param clientAuth {@code none}, {@code want} or {@code need} a client certificate (mTLS); a
   *     verified certificate's subject becomes the principal
   * @param trustStore CA certificates (PEM or PKCS12) that sign client certificates
   */
  public record Tls(Optional<Path> certificate, Optional<Path> privateKey, Optional<Path> keyStore,
      Optional<String> keyStorePassword, String clientAuth, Optional<Path> trustStore,
      Optional<String> trustStorePassword) {
    public Tls {
      if (certificate.isPresent() != privateKey.isPresent()) {
        throw new IllegalArgumentException("a PEM certificate needs its private key, and the other way round");
      }
      if (certificate.isPresent() && keyStore.isPresent()) {
        throw new IllegalArgumentException("configure TLS with PEM files or with a PKCS12 key store, not both");
      }
      if (!Set.of("none", "want", "need").contains(clientAuth)) {
        throw new IllegalArgumentException("TLS client auth must be none, want or need, got '" + clientAuth + "'");
      }
      if (!"none".equals(clientAuth) && trustStore.isEmpty()) {
        throw new IllegalArgumentException("client certificates need a trust store (ROWSTREAM_TLS_TRUSTSTORE)");
      }
      if (!"none".equals(clientAuth) && certificate.isEmpty() && keyStore.isEmpty()) {
        throw new IllegalArgumentException("client certificates need TLS on the listener");
      }
    }

    public static Tls none() {
      return new Tls(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), "none",
          Optional.empty(), Optional.empty());
    }

    public boolean enabled() {
      return certificate.isPresent() || keyStore.isPresent();
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
   */
  public record Limits(int maxRecordsPerRequest, int maxHeadersPerRecord, int maxHeaderBytes,
      int maxConsumersPerGroup, int maxConsumersPerPrincipal, int maxGroupsPerPrincipal, int maxLongPolls,
      long produceByteRate, long fetchByteRate) {
    public Limits {
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
    }

    public static Limits defaults() {
      return new Limits(100_000, 100, 64 * 1024, 1_000, 10_000, 1_000, 10_000, 0, 0);
    }

    public Limits withQuotas(long produce, long fetch) {
      return new Limits(maxRecordsPerRequest, maxHeadersPerRecord, maxHeaderBytes, maxConsumersPerGroup,
          maxConsumersPerPrincipal, maxGroupsPerPrincipal, maxLongPolls, produce, fetch);
    }

    public Limits withConsumerCaps(int perGroup, int perPrincipal, int groupsPerPrincipal) {
      return new Limits(maxRecordsPerRequest, maxHeadersPerRecord, maxHeaderBytes, perGroup, perPrincipal,
          groupsPerPrincipal, maxLongPolls, produceByteRate, fetchByteRate);
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
        throw new IllegalArgumentException("shutdown timeout must be at least 100 ms, got " + timeout.toMillis());
      }
    }

    public static Shutdown defaults() {
      return new Shutdown(Duration.ofSeconds(30));
    }
  }
}
