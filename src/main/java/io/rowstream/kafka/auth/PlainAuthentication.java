package io.rowstream.kafka.auth;

import io.rowstream.kafka.KafkaSession;
import io.rowstream.logging.LogText;
import io.rowstream.security.AuthenticationThrottledException;
import io.rowstream.security.Principal;
import io.rowstream.security.Security;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SASL/PLAIN (RFC 4616) on the server side, as Kafka's {@code PlainSaslServer} checks a token
 * ({@code [authzid] NUL user NUL password}) and with its messages; the user name and password are
 * verified by the one {@code Authenticator} (users, and API keys as key id and secret), with the
 * throttling HTTP Basic has. With authentication off, nothing is checked and the connection stays
 * anonymous, as HTTP ignores credentials then.
 */
final class PlainAuthentication {
  static final String MECHANISM = "PLAIN";
  private static final Logger LOG = LoggerFactory.getLogger(PlainAuthentication.class);

  private final Security security;

  PlainAuthentication(Security security) {
    this.security = security;
  }

  /**
   * The principal the token proves, recorded on the session.
   *
   * @throws SaslAuthenticationException with the reason, when it proves nothing
   */
  void authenticate(byte[] token, KafkaSession session) {
    if (!security.enabled()) {
      session.authenticated(Principal.ANONYMOUS);
      return;
    }
    String[] parts = new String(token, StandardCharsets.UTF_8).split("\u0000", -1);
    if (parts.length != 3) {
      throw refused(
          session, "", "Invalid SASL/PLAIN response: expected 3 tokens, got " + parts.length);
    }
    String user = parts[1];
    String password = parts[2];
    if (user.isEmpty()) {
      throw refused(session, user, "Authentication failed: username not specified");
    }
    if (password.isEmpty()) {
      throw refused(session, user, "Authentication failed: password not specified");
    }
    if (!parts[0].isEmpty() && !parts[0].equals(user)) {
      throw refused(
          session,
          user,
          "Authentication failed: Client requested an authorization id that is different from "
              + "username");
    }
    Optional<Principal> principal;
    try {
      principal =
          security.authenticator().password(user, password, session.address().getHostAddress());
    } catch (AuthenticationThrottledException e) {
      throw refused(
          session,
          user,
          "Authentication failed: " + e.getMessage() + " (retry after "
              + e.retryAfter().toSeconds() + " s)");
    }
    if (principal.isEmpty()) {
      throw refused(session, user, "Authentication failed: Invalid username or password");
    }
    session.authenticated(principal.get());
  }

  private static SaslAuthenticationException refused(
      KafkaSession session, String user, String reason) {
    LOG.info(
        "kafka SASL/PLAIN authentication failed client={} user={} reason={}",
        session.address().getHostAddress(),
        LogText.of(user),
        reason);
    return new SaslAuthenticationException(reason);
  }
}
