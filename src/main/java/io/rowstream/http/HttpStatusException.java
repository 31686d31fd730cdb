package io.rowstream.http;

/**
 * A refusal that exists only at the HTTP edge (wrong content type, unacceptable Accept, bad query
 * parameter, malformed JSON): one of the {@link HttpError}s, with its message.
 */
public final class HttpStatusException extends RuntimeException {
  private final HttpError error;
  private final java.util.Map<String, String> headers;

  HttpStatusException(HttpError error, String message) {
    this(error, message, java.util.Map.of());
  }

  private HttpStatusException(
      HttpError error, String message, java.util.Map<String, String> headers) {
    super(message, null, false, false);
    this.error = error;
    this.headers = headers;
  }

  /** The same refusal with one more response header (WWW-Authenticate, Retry-After). */
  public HttpStatusException withHeader(String name, String value) {
    java.util.Map<String, String> more = new java.util.LinkedHashMap<>(headers);
    more.put(name, value);
    return new HttpStatusException(error, getMessage(), java.util.Map.copyOf(more));
  }

  public java.util.Map<String, String> headers() {
    return headers;
  }

  public int status() {
    return error.answer().status();
  }

  public int errorCode() {
    return error.answer().errorCode();
  }

  HttpError error() {
    return error;
  }

  public static HttpStatusException badRequest(String message) {
    return new HttpStatusException(HttpError.BAD_REQUEST, message);
  }

  public static HttpStatusException invalidPayload(String message) {
    return new HttpStatusException(HttpError.INVALID_PAYLOAD, message);
  }
}
