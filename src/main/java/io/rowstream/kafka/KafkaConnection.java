package io.rowstream.kafka;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, served by one virtual thread: read a frame (4-byte length, then header
 * and body), answer it, write the response, read the next. One request at a time per connection
 * is Kafka's own model (its socket server mutes a channel until the response is sent), so
 * responses leave in request order. A frame longer than the limit, an unreadable request or one
 * Kafka would not answer closes the connection; other connections are not affected.
 */
final class KafkaConnection implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaConnection.class);
  private static final int BUFFER_BYTES = 64 * 1024;

  private final Socket socket;
  private final KafkaSession session;
  private final RequestDispatcher dispatcher;
  private final int maxRequestBytes;

  KafkaConnection(
      Socket socket, KafkaSession session, RequestDispatcher dispatcher, int maxRequestBytes) {
    this.socket = socket;
    this.session = session;
    this.dispatcher = dispatcher;
    this.maxRequestBytes = maxRequestBytes;
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
        byte[] frame = new byte[size];
        in.readFully(frame);
        Optional<ByteBuffer> response = dispatcher.dispatch(ByteBuffer.wrap(frame), session);
        if (response.isPresent()) {
          ByteBuffer r = response.get();
          out.writeInt(r.remaining());
          out.write(r.array(), r.arrayOffset() + r.position(), r.remaining());
          out.flush();
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
    }
  }
}
