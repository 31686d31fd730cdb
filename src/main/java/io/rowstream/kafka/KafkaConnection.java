package io.rowstream.kafka;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, served by one virtual thread: read a frame (4-byte length, then header
 * and body), answer it, write the response, read the next. One request at a time per connection
 * is Kafka's own model (its socket server mutes a channel until the response is sent), so
 * responses leave in request order. A frame is read only once its length fits the node's
 * {@link RequestMemory}, and its bytes must then arrive within the body timeout. A frame longer
 * than the limit, one whose bytes do not arrive in time, an unreadable request or one Kafka would
 * not answer closes the connection; other connections are not affected.
 */
final class KafkaConnection implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaConnection.class);
  private static final int BUFFER_BYTES = 64 * 1024;

  private final Socket socket;
  private final KafkaSession session;
  private final RequestDispatcher dispatcher;
  private final int maxRequestBytes;
  private final RequestMemory memory;
  private final int bodyTimeoutMs;

  KafkaConnection(
      Socket socket,
      KafkaSession session,
      RequestDispatcher dispatcher,
      int maxRequestBytes,
      RequestMemory memory,
      int bodyTimeoutMs) {
    this.socket = socket;
    this.session = session;
    this.dispatcher = dispatcher;
    this.maxRequestBytes = maxRequestBytes;
    this.memory = memory;
    this.bodyTimeoutMs = bodyTimeoutMs;
  }

  @Override
  public void run() {
    try (socket) {
      DataInputStream in =
          new DataInputStream(new BufferedInputStream(socket.getInputStream(), BUFFER_BYTES));
      DataOutputStream out =
          new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), BUFFER_BYTES));
      while (true) {
        int size;
        try {
          size = in.readInt();
        } catch (EOFException closedByClient) {
          return;
        }
        if (size < 0 || size > maxRequestBytes) {
          LOG.warn(
              "kafka connection closed client={} reason=frame of {} bytes, limit {}",
              session.address().getHostAddress(),
              size,
              maxRequestBytes);
          return;
        }
        try (RequestMemory.Held held = memory.hold(size)) {
          byte[] frame = readBody(in, size);
          if (frame == null) {
            LOG.warn(
                "kafka connection closed client={} reason=frame of {} bytes not received within {} ms",
                session.address().getHostAddress(),
                size,
                bodyTimeoutMs);
            return;
          }
          try {
            Optional<ByteBuffer> response = dispatcher.dispatch(ByteBuffer.wrap(frame), session);
            if (response.isPresent()) {
              ByteBuffer r = response.get();
              out.writeInt(r.remaining());
              out.write(r.array(), r.arrayOffset() + r.position(), r.remaining());
              out.flush();
            }
          } finally {
            session.releaseHeld();
          }
        }
        if (session.closeReason() != null) {
          LOG.info(
              "kafka connection closed client={} reason={}",
              session.address().getHostAddress(),
              session.closeReason());
          return;
        }
      }
    } catch (RequestDispatcher.CloseConnection e) {
      LOG.info(
          "kafka connection closed client={} reason={}",
          session.address().getHostAddress(),
          e.getMessage());
    } catch (IOException e) {
      LOG.debug("kafka connection ended client={}", session.address().getHostAddress(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The frame's {@code size} bytes, read within the body timeout; null when they did not all arrive
   * in time. The socket waits for the next frame's length without a timeout again afterwards: a
   * client may stay idle between requests.
   */
  private byte[] readBody(DataInputStream in, int size) throws IOException {
    byte[] frame = new byte[size];
    long deadline = System.nanoTime() + bodyTimeoutMs * 1_000_000L;
    int read = 0;
    try {
      while (read < size) {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left < 1) {
          return null;
        }
        socket.setSoTimeout((int) left);
        int n = in.read(frame, read, size - read);
        if (n < 0) {
          throw new EOFException("connection closed inside a frame");
        }
        read += n;
      }
    } catch (SocketTimeoutException e) {
      return null;
    } finally {
      if (!socket.isClosed()) {
        socket.setSoTimeout(0);
      }
    }
    return frame;
  }
}
