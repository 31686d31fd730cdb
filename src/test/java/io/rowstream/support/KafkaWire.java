package io.rowstream.support;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.ResponseHeader;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;

/**
 * A raw connection to a node's Kafka listener, for what real clients never send: requests at any
 * version, hand-made frames and garbage. Responses are parsed with kafka-clients.
 */
public final class KafkaWire implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;
  private int correlationId = 1;

  public KafkaWire(int port) {
    this(plainSocket(port));
  }

  /** Over a socket already connected (a TLS one). */
  public KafkaWire(Socket socket) {
    try {
      this.socket = socket;
      socket.setSoTimeout(10_000);
      in = new DataInputStream(socket.getInputStream());
      out = new DataOutputStream(socket.getOutputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Socket plainSocket(int port) {
    try {
      return new Socket("localhost", port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads one length-prefixed frame as it is (a raw SASL token). */
  public byte[] readFrame() throws IOException {
    byte[] frame = new byte[in.readInt()];
    in.readFully(frame);
    return frame;
  }

  /**
   * A connection to {@code port} signed in with SASL/PLAIN (SaslHandshake v1, SaslAuthenticate v2)
   * as {@code user}; fails unless the node accepts the password.
   */
  public static KafkaWire signedIn(int port, String user, String password) throws IOException {
    KafkaWire wire = new KafkaWire(port);
    wire.call(
        ApiKeys.SASL_HANDSHAKE, (short) 1, new SaslHandshakeRequestData().setMechanism("PLAIN"));
    SaslAuthenticateResponse r = (SaslAuthenticateResponse) wire.call(
        ApiKeys.SASL_AUTHENTICATE,
        (short) 2,
        new SaslAuthenticateRequestData()
            .setAuthBytes(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8)));
    if (r.error() != Errors.NONE) {
      wire.close();
      throw new IllegalStateException("SASL/PLAIN as " + user + " failed: " + r.error());
    }
    return wire;
  }

  /** Sends {@code body} as {@code api} at {@code version} and returns the parsed response. */
  public AbstractResponse call(ApiKeys api, short version, ApiMessage body) throws IOException {
    RequestHeader header = new RequestHeader(api, version, "kafka-wire-test", correlationId++);
    sendFrame(RequestUtils.serialize(header.data(), header.headerVersion(), body, version));
    return parse(api, version, header);
  }

  /** Sends {@code header} and raw body bytes. */
  public void send(RequestHeader header, byte[] body) throws IOException {
    ObjectSerializationCache cache = new ObjectSerializationCache();
    int size = header.data().size(cache, header.headerVersion());
    ByteBuffer frame = ByteBuffer.allocate(size + body.length);
    header.data().write(new ByteBufferAccessor(frame), cache, header.headerVersion());
    frame.put(body).flip();
    sendFrame(frame);
  }

  /** Writes a length prefix and {@code frame}. */
  public void sendFrame(ByteBuffer frame) throws IOException {
    out.writeInt(frame.remaining());
    byte[] bytes = new byte[frame.remaining()];
    frame.get(bytes);
    out.write(bytes);
    out.flush();
  }

  /** Writes raw bytes, prefix included or not. */
  public void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Reads one response to {@code header} and parses it at {@code version}. */
  public AbstractResponse parse(ApiKeys api, short version, RequestHeader header)
      throws IOException {
    byte[] frame = new byte[in.readInt()];
    in.readFully(frame);
    ByteBuffer buffer = ByteBuffer.wrap(frame);
    ResponseHeader.parse(buffer, api.responseHeaderVersion(version));
    return AbstractResponse.parseResponse(api, new ByteBufferAccessor(buffer), version);
  }

  /** Whether the node closed the connection (the next read sees its end) within the timeout. */
  public boolean closedByPeer() {
    try {
      return in.read() == -1;
    } catch (EOFException | SocketException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
