package io.rowstream.kafka.auth;

import io.rowstream.kafka.ApiHandler;
import io.rowstream.kafka.KafkaSession;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;

/**
 * SaslAuthenticate (KIP-152): the PLAIN token after a v1 SaslHandshake. Success answers an empty
 * token and a session lifetime of 0 (the session does not expire, so clients never
 * re-authenticate); a failure answers SASL_AUTHENTICATION_FAILED with its reason and closes the
 * connection, as Kafka does. Out of turn (no handshake yet) it is ILLEGAL_SASL_STATE and the
 * connection closes; once authenticated, ILLEGAL_SASL_STATE (Kafka's answer without
 * re-authentication).
 */
final class SaslAuthenticateHandler implements ApiHandler<SaslAuthenticateRequest> {
  private final PlainAuthentication plain;

  SaslAuthenticateHandler(PlainAuthentication plain) {
    this.plain = plain;
  }

  @Override
  public ApiMessage handle(SaslAuthenticateRequest request, KafkaSession session) {
    SaslExchange exchange = session.state(SaslExchange.class, SaslExchange::new);
    SaslAuthenticateResponseData response =
        new SaslAuthenticateResponseData().setAuthBytes(new byte[0]).setSessionLifetimeMs(0);
    switch (exchange.stage()) {
      case AUTHENTICATED -> {
        return response
            .setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
            .setErrorMessage("SaslAuthenticate request received after successful authentication");
      }
      case NO_HANDSHAKE, AWAITING_RAW_TOKEN -> {
        session.closeAfterResponse("SaslAuthenticate before SaslHandshake v1");
        return response
            .setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
            .setErrorMessage("SaslAuthenticate before a SaslHandshake (v1) chose a mechanism");
      }
      case AWAITING_AUTHENTICATE -> {}
    }
    try {
      plain.authenticate(request.data().authBytes(), session);
    } catch (SaslAuthenticationException e) {
      session.closeAfterResponse("SASL/PLAIN authentication failed");
      return response
          .setErrorCode(Errors.SASL_AUTHENTICATION_FAILED.code())
          .setErrorMessage(e.getMessage());
    }
    exchange.moveTo(SaslExchange.Stage.AUTHENTICATED);
    return response.setErrorCode(Errors.NONE.code());
  }
}
