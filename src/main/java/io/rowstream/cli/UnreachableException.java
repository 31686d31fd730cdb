package io.rowstream.cli;

/** No answer from the server (exit code {@link ExitCodes#UNREACHABLE}). */
final class UnreachableException extends RuntimeException {
  UnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
