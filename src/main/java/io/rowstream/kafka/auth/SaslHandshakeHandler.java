package io.rowstream.kafka.auth;

import io.rowstream.kafka.ApiHandler;
import io.rowstream.kafka.KafkaSession;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SaslHandshake: the client names its mechanism. PLAIN is the only one (UNSUPPORTED_SASL_MECHANISM
 * with the enabled list otherwise, and the connection closes, as Kafka does); on a connection
 * without TLS it is enabled only when the node allows passwords in clear, so that a refused client
 * never sends its password. After v1 the token comes in a SaslAuthenticate request; after v0 it
 * comes raw, without Kafka framing, and is answered raw (an empty token on success; a failure
 * just closes the connection, as Kafka does for clients of that generation). A handshake on an
 * authenticated connection is ILLEGAL_SASL_STATE (Kafka without re-authentication).
 */
final class SaslHandshakeHandler implements ApiHandler<SaslHandshakeRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(SaslHandshakeHandler.class);

  private final PlainAuthentication plain;

  SaslHandshakeHandler(PlainAuthentication plain) {
    this.plain = plain;
  }

  @Override
  public ApiMessage handle(SaslHandshakeRequest request, KafkaSession session) {
    SaslExchange exchange = session.state(SaslExchange.class, SaslExchange::new);
    SaslHandshakeResponseData response = new SaslHandshakeResponseData();
    List<String> enabled =
        session.passwordsAllowed() ? List.of(PlainAuthentication.MECHANISM) : List.of();
    switch (exchange.stage()) {
      case AUTHENTICATED -> {
        return response.setErrorCode(Errors.ILLEGAL_SASL_STATE.code());
      }
      case AWAITING_AUTHENTICATE, AWAITING_RAW_TOKEN -> {
        session.closeAfterResponse("a second SaslHandshake during SASL authentication");
        return response.setErrorCode(Errors.ILLEGAL_SASL_STATE.code());
      }
      case NO_HANDSHAKE -> {}
    }
    String mechanism = request.data().mechanism();
    if (!enabled.contains(mechanism)) {
      if (PlainAuthentication.MECHANISM.equals(mechanism)) {
        LOG.warn(
            "kafka SASL/PLAIN refused client={} reason=no TLS on this connection, so the password "
                + "would travel in clear (ROWSTREAM_KAFKA_SASL_PLAIN_WITHOUT_TLS=true allows it)",
            session.address().getHostAddress());
      }
      session.closeAfterResponse("SASL mechanism " + mechanism + " not enabled");
      return response.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code()).setMechanisms(enabled);
    }
    if (request.version() == 0) {
      exchange.moveTo(SaslExchange.Stage.AWAITING_RAW_TOKEN);
      session.nextFrameRaw((token, s) -> rawToken(token, s, exchange));
    } else {
      exchange.moveTo(SaslExchange.Stage.AWAITING_AUTHENTICATE);
    }
    return response.setErrorCode(Errors.NONE.code()).setMechanisms(enabled);
  }

  private Optional<ByteBuffer> rawToken(
      ByteBuffer frame, KafkaSession session, SaslExchange exchange) {
    byte[] token = new byte[frame.remaining()];
    frame.get(token);
    try {
      plain.authenticate(token, session);
    } catch (SaslAuthenticationException e) {
      session.closeAfterResponse("SASL/PLAIN authentication failed");
      return Optional.empty();
    }
    exchange.moveTo(SaslExchange.Stage.AUTHENTICATED);
    return Optional.of(ByteBuffer.allocate(0));
  }
}
