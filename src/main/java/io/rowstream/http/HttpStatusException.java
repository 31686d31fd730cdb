package io.rowstream.http;

/**
 * A refusal that exists only at the HTTP edge (wrong content type, unacceptable Accept, bad query
 * parameter, malformed JSON), with its status and REST Proxy error code.
 */
public final class HttpStatusException extends RuntimeException {
  private final int status;
  private final int errorCode;

  public HttpStatusException(int status, int errorCode, String message) {
    super(message, null, false, false);
    this.status = status;
    this.errorCode = errorCode;
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
