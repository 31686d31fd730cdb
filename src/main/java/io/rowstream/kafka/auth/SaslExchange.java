package io.rowstream.kafka.auth;

/**
 * Where one connection is in its SASL exchange, as Kafka's {@code SaslServerAuthenticator} tracks
 * it: no handshake yet, a handshake that chose PLAIN and awaits the client's token (in a
 * SaslAuthenticate request after v1, raw after v0), or authenticated. A failure closes the
 * connection, so it needs no stage.
 */
final class SaslExchange {
  enum Stage {
    NO_HANDSHAKE,
    AWAITING_AUTHENTICATE,
    AWAITING_RAW_TOKEN,
    AUTHENTICATED
  }

  private Stage stage = Stage.NO_HANDSHAKE;

  Stage stage() {
    return stage;
  }

  void moveTo(Stage next) {
    this.stage = next;
  }
}
