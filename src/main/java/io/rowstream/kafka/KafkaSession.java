package io.rowstream.kafka;

import io.rowstream.security.Caller;
import io.rowstream.security.Permissions;
import io.rowstream.security.Principal;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.protocol.ApiKeys;
import org.slf4j.LoggerFactory;

/**
 * What one connection knows of its client: where it calls from, whether it came over TLS, and who
 * it is once authenticated; and what the connection must do next that is not a request (read a raw
 * SASL token, close after a response). One reader thread owns it; handlers read it.
 */
public final class KafkaSession {

  /**
   * Answers the next frame, which is not a Kafka request (a raw SASL token): its response bytes, or
   * none.
   */
  @FunctionalInterface
  public interface RawFrameHandler {
    Optional<ByteBuffer> handle(ByteBuffer frame, KafkaSession session);
  }

  private final InetAddress address;
  private final boolean tls;
  private final Permissions permissions;
  private final boolean passwordsAllowed;
  private final Map<Class<?>, Object> states = new HashMap<>();
  private volatile Principal principal;
  private RawFrameHandler rawFrame;
  private String closeReason;
  private final List<AutoCloseable> heldUntilSent = new ArrayList<>();
  private String clientId = "";

  KafkaSession(
      InetAddress address,
      boolean tls,
      Principal principal,
      Permissions permissions,
      boolean passwordsAllowed) {
    this.address = address;
    this.tls = tls;
    this.principal = principal;
    this.permissions = permissions;
    this.passwordsAllowed = passwordsAllowed;
  }

  /** The client id of the request being handled (its header's; "" when it sent none). */
  public String clientId() {
    return clientId;
  }

  void clientId(String id) {
    this.clientId = id == null ? "" : id;
  }

  public InetAddress address() {
    return address;
  }

  public boolean tls() {
    return tls;
  }

  /**
   * Whether a client may send a password on this connection: over TLS, or in clear when the node
   * allows it ({@code ROWSTREAM_KAFKA_SASL_PLAIN_WITHOUT_TLS}).
   */
  public boolean passwordsAllowed() {
    return passwordsAllowed;
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

  /** Records who the connection is, once it authenticated. */
  public void authenticated(Principal who) {
    this.principal = who;
  }

  /** The caller every service call of this connection is made as; only once authenticated. */
  public Caller caller() {
    if (principal == null) {
      throw new IllegalStateException("a service call before authentication indicates a bug");
    }
    return new Caller(principal, address.getHostAddress(), permissions);
  }

  /**
   * What an area keeps about this connection (the SASL exchange), made by {@code initial} on first
   * use. Only the connection's reader thread calls it.
   */
  public <T> T state(Class<T> type, Supplier<T> initial) {
    return type.cast(states.computeIfAbsent(type, t -> initial.get()));
  }

  /** The next frame is no Kafka request: {@code handler} answers it (SaslHandshake v0's raw token). */
  public void nextFrameRaw(RawFrameHandler handler) {
    this.rawFrame = handler;
  }

  /** The handler of the next frame if it is raw, forgotten once taken. */
  RawFrameHandler takeRawFrameHandler() {
    RawFrameHandler h = rawFrame;
    rawFrame = null;
    return h;
  }

  /** The connection closes once the current response is written (Kafka's failed authentication). */
  public void closeAfterResponse(String reason) {
    this.closeReason = reason;
  }

  /** Why the connection closes after the current response; null while it stays open. */
  String closeReason() {
    return closeReason;
  }

  /**
   * Holds {@code resource} until the current response has been encoded and written (or the request
   * failed), then closes it: what a fetch reserved of the node's memory covers its response's bytes
   * too.
   */
  public void holdUntilResponseSent(AutoCloseable resource) {
    heldUntilSent.add(resource);
  }

  /** Closes what the request held ({@link #holdUntilResponseSent}); called after each request. */
  void releaseHeld() {
    for (AutoCloseable resource : heldUntilSent) {
      try {
        resource.close();
      } catch (Exception e) { // a release must not end the connection; nothing else to do about it
        LoggerFactory.getLogger(KafkaSession.class).warn("kafka request resource not released", e);
      }
    }
    heldUntilSent.clear();
  }
}
