package io.rowstream.http;

/**
 * A refusal that exists only at the HTTP edge (wrong content type, unacceptable Accept, bad query
 * parameter, malformed JSON), with its status and REST Proxy error code.
 */
public final class HttpStatusException extends RuntimeException {
  private final int status;
  private final int errorCode;
  private final java.util.Map<String, String> headers;

  public HttpStatusException(int status, int errorCode, String message) {
    this(status, errorCode, message, java.util.Map.of());
  }

  private HttpStatusException(int status, int errorCode, String message, java.util.Map<String, String> headers) {
    super(message, null, false, false);
    this.status = status;
    this.errorCode = errorCode;
    this.headers = headers;
  }

  /** The same refusal with one more response header (WWW-Authenticate, Retry-After). */
  public HttpStatusException withHeader(String name, String value) {
    java.util.Map<String, String> more = new java.util.LinkedHashMap<>(headers);
    more.put(name, value);
    return new HttpStatusException(status, errorCode, getMessage(), java.util.Map.copyOf(more));
  }

  public java.util.Map<String, String> headers() {
    return headers;
  }

  public int status() {
    return status;
  }

  public int errorCode() {
    return errorCode;
  }

  public static HttpStatusException badRequest(String message) {
    return new HttpStatusException(400, 40002, message);
  }

  public static HttpStatusException invalidPayload(String message) {
    return new HttpStatusException(422, 42206, message);
  }
}
