package io.rowstream.security;

import io.rowstream.config.OpsConfig;
import io.rowstream.db.Transactions;
import io.rowstream.logging.LogText;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The security package's public face: whether authentication is on, who a request is
 * ({@link Authenticator}) and what it may do ({@link Authorizer}).
 */
public final class Security {
  private static final Logger LOG = LoggerFactory.getLogger(Security.class);

  private final boolean enabled;
  private final Authenticator authenticator;
  private final Authorizer authorizer;
  private final byte[] nodeSecret;

  private Security(
      boolean enabled, Authenticator authenticator, Authorizer authorizer, String nodeSecret) {
    this.enabled = enabled;
    this.authenticator = authenticator;
    this.authorizer = authorizer;
    this.nodeSecret = nodeSecret.getBytes(StandardCharsets.UTF_8);
  }

  /** Reads users, keys and ACLs from the database; creates the bootstrap user when configured. */
  public static Security start(
      Transactions transactions, OpsConfig.Auth config, String nodeSecret) {
    Authorizer authorizer = new Authorizer(
        new AclStore(transactions.autocommit()),
        config.superUsers(),
        config.allowEveryoneIfNoAclFound(),
        config.cacheTtl());
    // With authentication off every caller may do everything, credentials included.
    Authenticator authenticator = new Authenticator(
        new CredentialStore(transactions.autocommit()),
        config.cacheTtl(),
        config.enabled() ? authorizer::isSuperUser : principal -> true,
        new AuthenticationThrottle(config.failures(), System::nanoTime),
        new PasswordChecks(config.failures().concurrentPasswordChecks()));
    if (config.bootstrapUser().isPresent()) {
      authenticator.ensureUser(
          config.bootstrapUser().get(), config.bootstrapPassword().orElseThrow());
      LOG.info(
          "bootstrap user present user={}", LogText.of(config.bootstrapUser().get()));
    }
    return new Security(config.enabled(), authenticator, authorizer, nodeSecret);
  }

  /** Whether requests must authenticate and pass the ACLs. */
  public boolean enabled() {
    return enabled;
  }

  /** {@link Principal#NODE} for the cluster's node secret (compared in constant time), else empty. */
  public Optional<Principal> node(String bearerToken) {
    return MessageDigest.isEqual(bearerToken.getBytes(StandardCharsets.UTF_8), nodeSecret)
        ? Optional.of(Principal.NODE)
        : Optional.empty();
  }

  public Authenticator authenticator() {
    return authenticator;
  }

  public Authorizer authorizer() {
    return authorizer;
  }

  /** The ACL decision services apply: the authorizer, or {@link Permissions#OPEN} with authentication off. */
  public Permissions permissions() {
    return enabled ? authorizer : Permissions.OPEN;
  }
}
