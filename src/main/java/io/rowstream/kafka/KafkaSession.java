package io.rowstream.kafka;

import io.rowstream.security.Caller;
import io.rowstream.security.Permissions;
import io.rowstream.security.Principal;
import java.net.InetAddress;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * What one connection knows of its client: where it calls from, whether it came over TLS, and who
 * it is once authenticated. One reader thread owns it; handlers read it.
 */
public final class KafkaSession {
  private final InetAddress address;
  private final boolean tls;
  private final Permissions permissions;
  private volatile Principal principal;

  KafkaSession(InetAddress address, boolean tls, Principal principal, Permissions permissions) {
    this.address = address;
    this.tls = tls;
    this.principal = principal;
    this.permissions = permissions;
  }

  public InetAddress address() {
    return address;
  }

  public boolean tls() {
    return tls;
  }

  /** Who the connection is; null until it authenticated when authentication is required. */
  public Principal principal() {
    return principal;
  }

  /**
   * Whether the connection may call {@code api} now: before authentication only what SASL needs
   * (ApiVersions, SaslHandshake, SaslAuthenticate), as a Kafka SASL listener allows.
   */
  boolean mayCall(ApiKeys api) {
    return principal != null
        || api == ApiKeys.API_VERSIONS
        || api == ApiKeys.SASL_HANDSHAKE
        || api == ApiKeys.SASL_AUTHENTICATE;
  }

  /** Records who the connection is, once SASL authentication succeeded. */
  void authenticated(Principal who) {
    this.principal = who;
  }

  /** The caller every service call of this connection is made as; only once authenticated. */
  public Caller caller() {
    if (principal == null) {
      throw new IllegalStateException("a service call before authentication indicates a bug");
    }
    return new Caller(principal, address.getHostAddress(), permissions);
  }
}
