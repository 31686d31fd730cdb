package io.rowstream.kafka;

import io.rowstream.security.Principal;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Optional;

/**
 * How the listener's connections are carried: plain TCP ({@link #PLAINTEXT}), or TLS, where a
 * client certificate the handshake verified may say who the client is (Kafka's SSL listener).
 */
public interface KafkaTransport {

  /** What the transport tells of a connection once it is set up. */
  record Handshake(boolean tls, Optional<Principal> certificatePrincipal) {}

  /** A bound server socket of this transport. */
  ServerSocket bind(InetSocketAddress address, int backlog) throws IOException;

  /**
   * Sets the connection up on its own thread before its first request is read (the TLS handshake);
   * throws when it fails, and the connection is closed.
   */
  Handshake handshake(Socket socket) throws IOException;

  /** Plain TCP: nothing to set up, no certificate. */
  KafkaTransport PLAINTEXT = new KafkaTransport() {
    @Override
    public ServerSocket bind(InetSocketAddress address, int backlog) throws IOException {
      ServerSocket server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(address, backlog);
      return server;
    }

    @Override
    public Handshake handshake(Socket socket) {
      return new Handshake(false, Optional.empty());
    }
  };
}
