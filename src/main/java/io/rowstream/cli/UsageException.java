package io.rowstream.cli;

/** A command line that cannot run as given (exit code {@link ExitCodes#USAGE}). */
final class UsageException extends RuntimeException {
  UsageException(String message) {
    super(message);
  }
}
