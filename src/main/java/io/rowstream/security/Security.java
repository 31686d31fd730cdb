package io.rowstream.security;

import io.rowstream.config.OpsConfig;
import org.jooq.DSLContext;
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

  private Security(boolean enabled, Authenticator authenticator, Authorizer authorizer) {
    this.enabled = enabled;
    this.authenticator = authenticator;
    this.authorizer = authorizer;
  }

  /** Reads users, keys and ACLs from the database; creates the bootstrap user when configured. */
  public static Security start(DSLContext dsl, OpsConfig.Auth config) {
    Authenticator authenticator = new Authenticator(new CredentialStore(dsl), config.cacheTtl());
    if (config.bootstrapUser().isPresent()) {
      authenticator.ensureUser(config.bootstrapUser().get(), config.bootstrapPassword().orElseThrow());
      LOG.info("bootstrap user present user={}", config.bootstrapUser().get());
    }
    Authorizer authorizer = new Authorizer(new AclStore(dsl), config.superUsers(),
        config.allowEveryoneIfNoAclFound(), config.cacheTtl());
    return new Security(config.enabled(), authenticator, authorizer);
  }

  /** Whether requests must authenticate and pass the ACLs. */
  public boolean enabled() {
    return enabled;
  }

  public Authenticator authenticator() {
    return authenticator;
  }

  public Authorizer authorizer() {
    return authorizer;
  }
}
