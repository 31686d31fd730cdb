package io.rowstream.kafka;

import io.rowstream.security.Permissions;
import io.rowstream.security.Principal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's listener for Kafka's binary protocol: accepts connections and serves each on a
 * virtual thread of its own ({@link KafkaConnection}), at most {@code maxConnectionsPerAddress}
 * from one client address (Kafka's {@code max.connections.per.ip}; one more is closed at once).
 * Connections are carried by its {@link KafkaTransport}: plain TCP, or TLS, whose handshake runs
 * on the connection's thread and whose verified client certificate may authenticate it.
 */
public final class KafkaListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaListener.class);

  /** What the listener needs to serve a connection. */
  public record Settings(
      String bindHost,
      int port,
      int maxRequestBytes,
      int maxConnectionsPerAddress,
      boolean authenticationRequired,
      Permissions permissions,
      KafkaTransport transport,
      boolean passwordsWithoutTls,
      int maxRequestBytesInFlight,
      int requestBodyTimeoutMs) {}

  /** Longest time a TLS handshake may take before the connection is closed. */
  static final int HANDSHAKE_TIMEOUT_MS = 10_000;

  private final ServerSocket server;
  private final Settings settings;
  private final RequestDispatcher dispatcher;
  private final RequestMemory memory;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress =
      new ConcurrentHashMap<>();
  private final Thread acceptor;

  private KafkaListener(ServerSocket server, Settings settings, RequestDispatcher dispatcher) {
    this.server = server;
    this.settings = settings;
    this.dispatcher = dispatcher;
    this.memory = new RequestMemory(settings.maxRequestBytesInFlight());
    this.acceptor = Thread.ofVirtual().name("kafka-accept").unstarted(this::acceptLoop);
  }

  /** Binds and starts accepting; {@code apis} are the APIs served. */
  public static KafkaListener start(Settings settings, KafkaApis apis, KafkaErrors errors) {
    ServerSocket server;
    try {
      server = settings
          .transport()
          .bind(new InetSocketAddress(settings.bindHost(), settings.port()), 512);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen for Kafka clients on " + settings.bindHost() + ":" + settings.port(), e);
    }
    KafkaListener listener =
        new KafkaListener(server, settings, new RequestDispatcher(apis, errors));
    listener.acceptor.start();
    return listener;
  }

  /** Bytes of request frames its connections hold now ({@link RequestMemory}). */
  public long requestBytesInFlight() {
    return memory.inFlight();
  }

  /** The port listened on (the one picked when 0 was asked). */
  public int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        if (!server.isClosed()) {
          LOG.warn("kafka listener accept failed", e);
        }
        continue;
      }
      serve(socket);
    }
  }

  private void serve(Socket socket) {
    InetAddress address = socket.getInetAddress();
    AtomicInteger count = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
    if (count.incrementAndGet() > settings.maxConnectionsPerAddress()) {
      count.decrementAndGet();
      LOG.warn(
          "kafka connection refused client={} reason=more than {} connections from it",
          address.getHostAddress(),
          settings.maxConnectionsPerAddress());
      closeQuietly(socket);
      return;
    }
    open.add(socket);
    try {
      socket.setTcpNoDelay(true);
    } catch (SocketException e) {
      LOG.debug("kafka connection: TCP_NODELAY not set", e);
    }
    Thread.ofVirtual().name("kafka-connection").start(() -> {
      try {
        KafkaSession session = session(socket);
        if (session != null) {
          new KafkaConnection(
                  socket,
                  session,
                  dispatcher,
                  settings.maxRequestBytes(),
                  memory,
                  settings.requestBodyTimeoutMs())
              .run();
        }
      } finally {
        open.remove(socket);
        count.decrementAndGet();
      }
    });
  }

  /**
   * The session of a new connection once its transport is set up (the TLS handshake, bounded by
   * {@link #HANDSHAKE_TIMEOUT_MS}); null, and the socket closed, when that fails. With
   * authentication on, a verified client certificate's principal authenticates the connection;
   * otherwise it must authenticate with SASL.
   */
  private KafkaSession session(Socket socket) {
    KafkaTransport.Handshake handshake;
    try {
      socket.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
      handshake = settings.transport().handshake(socket);
      socket.setSoTimeout(0);
    } catch (IOException e) {
      LOG.info(
          "kafka connection closed client={} reason=handshake failed: {}",
          socket.getInetAddress().getHostAddress(),
          e.getMessage());
      closeQuietly(socket);
      return null;
    }
    Principal principal = settings.authenticationRequired()
        ? handshake.certificatePrincipal().orElse(null)
        : Principal.ANONYMOUS;
    return new KafkaSession(
        socket.getInetAddress(),
        handshake.tls(),
        principal,
        settings.permissions(),
        handshake.tls() || settings.passwordsWithoutTls());
  }

  /** Stops accepting and closes every open connection. */
  @Override
  public void close() {
    closeQuietly(server);
    open.forEach(KafkaListener::closeQuietly);
    try {
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) { // closing: nothing to do about a failure
      LOG.debug("kafka listener: close failed", e);
    }
  }
}
