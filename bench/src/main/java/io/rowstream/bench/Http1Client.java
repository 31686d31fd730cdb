package io.rowstream.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A lean HTTP/1.1 client for the load generator: plain sockets, keep-alive connections in a pool
 * (one per concurrent caller), request bytes written as they are, responses read by
 * Content-Length or chunked encoding. The generator shares the machine with the node and its
 * database, and the JDK's HttpClient spent as much CPU per small request as the node that served
 * it; this one spends a few microseconds, as wrk or h2load would. Plain HTTP only.
 */
final class Http1Client implements AutoCloseable {
  /** A response: status and body bytes. */
  record Response(int status, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final String host;
  private final int port;
  /**
   * Idle connections, the most recently used last, and taken from there: a burst that opened more
   * connections than the steady load needs leaves the extra ones idle at the far end instead of
   * having every request cycle through all of them (a latency run's warm-up had opened 160).
   */
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();

  Http1Client(String baseUrl) {
    URI uri = URI.create(baseUrl);
    if (!"http".equals(uri.getScheme())) {
      throw new IllegalArgumentException("the load generator speaks plain http, not " + uri.getScheme());
    }
    this.host = uri.getHost();
    this.port = uri.getPort() < 0 ? 80 : uri.getPort();
  }

  /**
   * Sends one request on an idle pooled connection (or a new one) and reads the whole response.
   * A reused connection the server had already closed fails before any response byte; the request
   * is then sent once more on a fresh connection (the server never read it).
   */
  Response exchange(String method, String target, String headers, byte[] body) throws IOException {
    byte[] head = (method + " " + target + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n" + headers
        + "Content-Length: " + (body == null ? 0 : body.length) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    Connection reused = idle.pollLast();
    if (reused != null) {
      try {
        return send(reused, head, body);
      } catch (StaleConnectionException e) {
        // fall through to a fresh connection
      }
    }
    return send(new Connection(host, port), head, body);
  }

  private Response send(Connection connection, byte[] head, byte[] body) throws IOException {
    try {
      Connection.Result result = connection.exchange(head, body);
      if (result.keepAlive()) {
        idle.offerLast(connection);
      } else {
        connection.close();
      }
      return result.response();
    } catch (IOException e) {
      connection.close();
      throw e;
    }
  }

  @Override
  public void close() {
    Connection c;
    while ((c = idle.poll()) != null) {
      c.close();
    }
  }

  /** The server closed the connection before answering: safe to send the request again. */
  private static final class StaleConnectionException extends IOException {
    StaleConnectionException() {
      super("connection closed by the server before a response");
    }
  }

  private static final class Connection {
    record Result(Response response, boolean keepAlive) {}

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private byte[] bodyBuffer = new byte[64 * 1024];

    Connection(String host, int port) throws IOException {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), 5_000);
      socket.setSoTimeout(120_000);
      in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
      out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    }

    Result exchange(byte[] head, byte[] body) throws IOException {
      out.write(head);
      if (body != null) {
        out.write(body);
      }
      out.flush();
      int first = in.read();
      if (first < 0) {
        throw new StaleConnectionException();
      }
      String statusLine = (char) first + line();
      if (!statusLine.startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP response: " + statusLine);
      }
      int status = Integer.parseInt(statusLine.substring(9, 12));
      long length = -1;
      boolean chunked = false;
      boolean keepAlive = statusLine.startsWith("HTTP/1.1");
      for (String header = line(); !header.isEmpty(); header = line()) {
        int colon = header.indexOf(':');
        String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = header.substring(colon + 1).trim();
        switch (name) {
          case "content-length" -> length = Long.parseLong(value);
          case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
          case "connection" -> keepAlive = !value.equalsIgnoreCase("close");
          default -> { }
        }
      }
      byte[] responseBody;
      if (status / 100 == 1 || status == 204 || status == 304) {
        responseBody = new byte[0]; // no body, whatever the headers say (RFC 9112, section 6.3)
      } else if (chunked) {
        responseBody = chunkedBody();
      } else if (length >= 0) {
        responseBody = in.readNBytes((int) length);
        if (responseBody.length != length) {
          throw new EOFException("response body ended after " + responseBody.length + " of " + length + " bytes");
        }
      } else {
        responseBody = in.readAllBytes();
        keepAlive = false;
      }
      return new Result(new Response(status, responseBody), keepAlive);
    }

    /**
     * A chunked body, read straight into this connection's buffer (kept for the next response, so a
     * catch-up reader of 20 MB responses allocates once), then copied out once at its exact size.
     */
    private byte[] chunkedBody() throws IOException {
      int length = 0;
      while (true) {
        String sizeLine = line();
        int semicolon = sizeLine.indexOf(';');
        int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
        if (size == 0) {
          while (!line().isEmpty()) {
            // trailers: none expected, skipped
          }
          return Arrays.copyOf(bodyBuffer, length);
        }
        if (length + size > bodyBuffer.length) {
          bodyBuffer = Arrays.copyOf(bodyBuffer, Math.max(2 * bodyBuffer.length, length + size));
        }
        if (in.readNBytes(bodyBuffer, length, size) != size) {
          throw new EOFException("chunk ended early");
        }
        length += size;
        line();
      }
    }

    /** One header line without its CRLF. */
    private String line() throws IOException {
      StringBuilder line = new StringBuilder(64);
      int b;
      while ((b = in.read()) != '\n') {
        if (b < 0) {
          throw new EOFException("connection closed in the middle of a response");
        }
        if (b != '\r') {
          line.append((char) b);
        }
      }
      return line.toString();
    }

    void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
