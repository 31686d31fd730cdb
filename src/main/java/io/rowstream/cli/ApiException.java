package io.rowstream.cli;

/**
 * The server's refusal of a request: its HTTP status and the REST Proxy's {@code error_code} and
 * {@code message} from the body (the status and the body's text when the body is not that JSON).
 */
final class ApiException extends RuntimeException {
  private final int status;
  private final int errorCode;

  ApiException(int status, int errorCode, String message) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
  }

  int status() {
    return status;
  }

  int errorCode() {
    return errorCode;
  }

  int exitCode() {
    return ExitCodes.ofStatus(status);
  }
}
